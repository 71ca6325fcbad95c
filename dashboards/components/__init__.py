"""Pieces shared by the pages: the session, the link chart's elements and style, the legend."""
