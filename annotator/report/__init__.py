"""The inter-annotator report: agreement per layer, disagreement anatomy, agreement per
document, the bias profile of each article and the report's provenance.

``build_report(repo, options)`` returns a :class:`Report` of plain frozen values; the
renderers turn it into JSON, Markdown, HTML or CSV.
"""

from annotator.report.build import build_report
from annotator.report.model import Report
from annotator.report.options import ReportError, ReportOptions
from annotator.report.render_csv import render_csv, write_csv
from annotator.report.render_html import render_html
from annotator.report.render_json import render_json, report_dict
from annotator.report.render_md import render_md

FORMATS = ("md", "json", "html", "csv")

__all__ = [
    "FORMATS",
    "Report",
    "ReportError",
    "ReportOptions",
    "build_report",
    "render_csv",
    "render_html",
    "render_json",
    "render_md",
    "report_dict",
    "write_csv",
]
