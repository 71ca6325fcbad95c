"""The Dash explorer (link charts, dashboards, meeting mode)."""
