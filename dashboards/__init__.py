"""The explorer: a Dash app for officers, analysts and MAPPA+ meetings, mounted under /ui."""
