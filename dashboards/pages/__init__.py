"""One module per page (Dash pages): layout and callbacks together."""
