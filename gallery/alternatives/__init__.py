"""Correct implementations written differently from the reference: the tests must accept every one.

Each package here holds one chapter module that does the chapter's job in
another correct way (another construction order, einsum instead of @, -1e9
instead of -inf, ...). ``make alternatives`` runs each against its chapter
and every later chapter, which then use it through their relative imports.
"""
