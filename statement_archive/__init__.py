"""Build a static reference website of official statements.

The stages, in order, are plain functions in their own modules:
load -> validate -> resolve (entities) -> index -> plan -> render -> write.
`pipeline.build_site` is the recipe that runs them.
"""
