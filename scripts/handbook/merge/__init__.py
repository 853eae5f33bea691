"""The dedupe/merge stage: topic outline, assignment, three-level deduplication, provenance, topic pages.

    outline = load_topics(data_dir)                     # data/topics.yml -> Outline (stable page/section ids)
    result = merge_notes(notes, outline, progress=None) # pure and deterministic -> MergeResult
    files = render_topic_pages(result, annotations={})  # topics/*.md, other/*.md, their SUMMARY.md and index.md
    audit = render_merge_audit(result, from_page)       # Markdown for the build report
    data = merge_report(result)                         # JSON-ready dict for report.json

Thresholds and the names of every rule: handbook.merge.settings; the stages in order: handbook.merge.core;
assignment rules: handbook.merge.assign; fact guards: handbook.merge.guards; candidate search: handbook.merge.lsh.
"""

from __future__ import annotations

from .core import merge_notes
from .guards import FACT_GUARDS
from .outline import Outline, TopicPageSpec, TopicSection, load_topics
from .render import GENERATED_BANNER, merge_report, render_merge_audit, render_topic_pages
from .settings import CANONICAL_RULE, MERGE_RULES, NEAR_DUPLICATE, NOTE_CONTAINMENT, SECTION_CONTAINMENT, SHORT_WORDS
from .result import (
    GuardRecord, MergeCounts, MergedBlock, MergedSection, MergeRecord, MergeResult, NoteDuplicate, OtherPage,
    TopicPage, UnassignedSection,
)

__all__ = [
    "CANONICAL_RULE", "FACT_GUARDS", "MERGE_RULES", "NEAR_DUPLICATE", "NOTE_CONTAINMENT", "SECTION_CONTAINMENT",
    "SHORT_WORDS", "GuardRecord", "MergeCounts", "MergedBlock", "MergedSection", "MergeRecord", "MergeResult",
    "NoteDuplicate", "Outline", "OtherPage", "TopicPage", "TopicPageSpec", "TopicSection", "UnassignedSection",
    "GENERATED_BANNER", "load_topics", "merge_notes", "merge_report", "render_merge_audit", "render_topic_pages",
]
