"""The sample project is another project: it is run in a process of its own, never collected here."""

collect_ignore = ["sample_project"]
