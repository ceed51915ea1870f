"""Fictional stories for the writer's tests: outlets, places and people are invented."""

from __future__ import annotations

from datetime import UTC, datetime

from newsdesk.writing.draft import SourceReport

T0 = datetime(2031, 4, 8, 7, 0, tzinfo=UTC)


def _at(hour: int, minute: int = 0) -> datetime:
    return T0.replace(hour=hour, minute=minute)


HARBOR_WIRE_TEXT = "\n".join(
    [
        "ORLEN, Velmora (Harbor Wire) - The Karsk Dam in northern Velmora burst early on "
        "Tuesday, flooding the town of Orlen and forcing thousands of residents from their "
        "homes.",
        "At least 14 people were killed and dozens more are missing, the regional emergency "
        "service said.",
        "Photo: Rescuers search a flooded street in Orlen (Harbor Wire/J. Tamm)",
        "Engineers had warned the regional water authority last year about deep cracks in the "
        "dam's concrete spillway.",
        "It was the worst disaster to hit the province in half a century.",
        '"We lost everything in twenty minutes," said Mara Ilves, a baker whose shop was '
        "submerged.",
        "Army helicopters lifted more than 300 people from rooftops in the lower districts of "
        "Orlen by Tuesday evening.",
        "Prime Minister Tomas Reyl ordered an independent investigation into the maintenance of "
        "the Karsk Dam.",
        "Reporting by Jaan Tamm; editing by Ruth Ode.",
    ]
)

REPORTS: tuple[SourceReport, ...] = (
    SourceReport(
        id=1,
        outlet="The Meridian Post",
        title="Dam burst floods Velmora town of Orlen, killing at least 14 - The Meridian Post",
        text="\n".join(
            [
                "By Lena Hart",
                "The Karsk Dam burst early on Tuesday and sent a wall of water through the "
                "town of Orlen in northern Velmora, forcing thousands of residents to flee.",
                "At least 14 people died and dozens of others are missing, according to the "
                "regional emergency service.",
                "They were taken to schools and sports halls on higher ground.",
                "Governor Anna Petrov declared a state of emergency across the whole of "
                "Karsk province on Tuesday afternoon.",
                "However, officials said the water level had started to fall by the evening.",
                "Soldiers and volunteers filled sandbags along the river in the neighbouring "
                "village of Tarvi to protect its grain silos.",
                '"The water came so fast," he said.',
                "The national government pledged 40 million crowns in emergency aid for the "
                "families who lost their homes in Orlen.",
                "The opposition Green Alliance condemned what it called years of neglect of "
                "the country's ageing dams.",
            ]
        ),
        published_at=_at(8),
        language="en",
    ),
    SourceReport(
        id=2,
        outlet="Northwind News",
        title="SHOCKING: Entire town swept away as dam bursts",
        text="\n".join(
            [
                "Floodwater from the burst Karsk Dam swept through the town of Orlen on "
                "Tuesday, forcing thousands of people from their homes in northern Velmora.",
                "The regional emergency service said at least 14 people were killed and "
                "dozens are still missing.",
                "Army helicopters rescued more than 300 people stranded on rooftops in "
                "Orlen's lower districts.",
                "Is the country ready for the next flood?",
                "Residents sheltered overnight in schools and sports halls on the hills "
                "above the town, local officials said.",
                "Prime Minister Tomas Reyl said he had ordered an independent inquiry into "
                "the maintenance of the Karsk Dam.",
                "Railway services between Orlen and the capital Seldon were suspended after "
                "the water washed away a section of track.",
                "The Red Crescent of Velmora sent 12 trucks of blankets, water and food to "
                "the shelters on Tuesday night.",
            ]
        ),
        published_at=_at(9, 30),
        language="en",
    ),
    SourceReport(
        id=3,
        outlet="Harbor Wire",
        title="Karsk Dam collapse floods Orlen; at least 14 dead",
        text=HARBOR_WIRE_TEXT,
        published_at=_at(7, 45),
        language="en",
    ),
    SourceReport(
        id=4,
        outlet="Lakeside Times",
        title="Karsk Dam collapse floods Orlen; at least 14 dead | Lakeside Times",
        text=HARBOR_WIRE_TEXT,
        published_at=_at(8, 15),
        language="en",
        duplicate_of=3,
    ),
    SourceReport(
        id=5,
        outlet="Coastline Herald",
        title="Was the Karsk Dam disaster preventable?",
        text="\n".join(
            [
                "The collapse of the Karsk Dam on Tuesday flooded the town of Orlen in "
                "northern Velmora and drove thousands of residents from their homes.",
                "The regional emergency service put the death toll at 14, with dozens of "
                "people still missing.",
                "Governor Anna Petrov declared a state of emergency in Karsk province.",
                "Railway services between Orlen and Seldon were suspended after floodwater "
                "washed away part of the track.",
                "Meanwhile, volunteers from across the country travelled to Orlen.",
                "Insurers estimated the damage to homes and businesses in Orlen at more than "
                "200 million crowns.",
            ]
        ),
        published_at=_at(11),
        language="en",
    ),
)

SINGLE_REPORT = SourceReport(
    id=10,
    outlet="The Meridian Post",
    title="Seldon council approves 14-kilometre tram line to the airport",
    text="\n".join(
        [
            "SELDON (Meridian Post) - Seldon city council on Monday approved a 14-kilometre "
            "tram line linking the city centre with Kallas airport.",
            "The line will cost 310 million crowns and is due to open in 2034.",
            "Councillors voted 31 to 12 in favour of the plan after a six-hour debate.",
            "It will have 18 stops.",
            "Mayor Ilse Varend said the tram would cut the journey to the airport to 25 minutes.",
            "The opposition Civic Party argued that the money should be spent on buses in "
            "the outer districts instead.",
            "Construction of the first section between the central station and the "
            "university is expected to start next spring.",
            "This will close two main roads for at least a year.",
            "The national transport ministry has promised to pay 40 percent of the cost of "
            "the tram line.",
            "Local business groups welcomed the decision and said the airport link would "
            "bring more visitors to Seldon.",
        ]
    ),
    published_at=_at(18),
    language="en",
)

ARABIC_REPORTS: tuple[SourceReport, ...] = (
    SourceReport(
        id=20,
        outlet="صحيفة الأفق",
        title="إضراب مفتوح لعمال ميناء الرمال احتجاجا على تأخر الأجور",
        text="\n".join(
            [
                "أعلنت نقابة عمال ميناء الرمال، اليوم الأحد، إضرابا مفتوحا عن العمل احتجاجا "
                "على تأخر صرف الأجور منذ ثلاثة أشهر.",
                "وقال رئيس النقابة سالم الحداد إن أكثر من ألفي عامل يشاركون في الإضراب؛ وإن "
                "الحركة في الميناء توقفت بالكامل.",
                "وأضاف أن النقابة لن تتراجع قبل صرف كامل المستحقات.",
                "وتسبب الإضراب في تكدس عشرات السفن التجارية قبالة سواحل المدينة.",
                "هل ينجح الإضراب في تحقيق مطالب العمال؟",
                "وأكدت إدارة الميناء في بيان أنها تجري اتصالات مع وزارة النقل لحل الأزمة في "
                "أقرب وقت.",
                "ويعد ميناء الرمال من أكبر موانئ البلاد ويستقبل نحو ثلث الواردات.",
            ]
        ),
        published_at=_at(10),
        language="ar",
    ),
    SourceReport(
        id=21,
        outlet="وكالة النجمة",
        title="عمال ميناء الرمال يبدأون إضرابا مفتوحا",
        text="\n".join(
            [
                "بدأ عمال ميناء الرمال إضرابا مفتوحا عن العمل اليوم الأحد احتجاجا على تأخر "
                "صرف أجورهم منذ ثلاثة أشهر.",
                "وأفاد مراسل الوكالة بأن عشرات السفن التجارية تنتظر قبالة سواحل المدينة بسبب "
                "توقف عمليات التفريغ.",
                "وقال وزير النقل كريم العطار إن الحكومة ستصرف الأجور المتأخرة خلال أسبوع.",
                "من جهته، قال العمال إنهم مستعدون لمواصلة الإضراب حتى النهاية.",
                "وحذرت غرفة التجارة من ارتفاع أسعار السلع المستوردة إذا استمر الإضراب أكثر من "
                "أسبوع.",
            ]
        ),
        published_at=_at(11),
        language="ar",
    ),
)
