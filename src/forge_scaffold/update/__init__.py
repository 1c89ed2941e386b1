"""Updating a generated project: answers, release cache and history, plan, sync, drift, renames.

Modules, in the order an update uses them: `answers` (the one reader of `.copier-answers.yml`),
`cache` and `history` (the template versions this installation knows), `plan` (what the update
will do, and the rules that refuse it), `session` (one update from check to last write), `sync`
(the update run in a scratch clone, then applied), `renames` (edits follow moved files) and
`drift` (which template files the user changed). Nothing is imported here: `--help` stays fast.
"""
