"""Word, HTML and PDF documents: rendering, the chart, the quarterly or monthly circular and the year-end circular."""
