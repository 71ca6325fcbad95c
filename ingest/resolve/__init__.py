"""Identity resolution: link the person records of many agencies into one identity per human.

`pipeline.resolve` runs it end to end (features -> model -> cluster -> graph_writer, review);
`explain.explain` breaks one pair's score down. See docs/resolution.md.
"""
