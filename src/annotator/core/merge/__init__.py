"""Merging colleagues' projects: match, decide, carry spans over, log what lost."""

from annotator.core.merge.report import MergeReport
from annotator.core.merge.run import MergeOptions, MergeResult, merge_projects

__all__ = ["MergeOptions", "MergeReport", "MergeResult", "merge_projects"]
