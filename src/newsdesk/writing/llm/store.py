"""Translations kept in the database (ReportTranslation): a rewrite does not pay for them again."""

from __future__ import annotations

from newsdesk.writing.draft import SourceReport
from newsdesk.writing.llm.translate import TranslatedSentence, Translation
from newsdesk.writing.models import ReportTranslation


class DatabaseCache:
    def get(self, report_id: int, language: str, model: str) -> Translation | None:
        row = ReportTranslation.objects.filter(
            report_id=report_id, language=language, model=model
        ).first()
        if row is None:
            return None
        data = row.sentences
        return Translation(
            title=data.get("title", ""),
            sentences=tuple(
                TranslatedSentence(s["start"], s["end"], s["text"]) for s in data["sentences"]
            ),
            rejected=data.get("rejected", 0),
        )

    def put(
        self, report: SourceReport, language: str, model: str, translation: Translation
    ) -> None:
        ReportTranslation.objects.update_or_create(
            report_id=report.id,
            language=language,
            model=model,
            defaults={
                "source_language": report.language,
                "sentences": {
                    "title": translation.title,
                    "rejected": translation.rejected,
                    "sentences": [
                        {"start": s.start, "end": s.end, "text": s.text}
                        for s in translation.sentences
                    ],
                },
            },
        )
