"""The packages the monthly run cannot do without (pip names): `run.py check` requires them and
every month's manifest records their versions. The rest of requirements.txt only improves the
output (fonttools: the PDFs' font names; rapidfuzz: 一稿多报 and outlet matching) or runs tests
and lints. No import here, so `run.py check` can read it before knowing what is installed."""

RUNTIME_PACKAGES = (
    "pandas",
    "openpyxl",
    "python-calamine",
    "great-expectations",
    "jinja2",
    "docxtpl",
    "click",
    "chinese-calendar",
    "cn2an",
)
