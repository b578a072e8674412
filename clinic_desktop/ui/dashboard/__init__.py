"""The owner's dashboard screen (page.py) and its charts (charts.py)."""
