"""Zhibi (执笔): drafts the annual 法治政府建设情况报告 from raw notes, with every figure traced."""

__version__ = "0.1.0"
