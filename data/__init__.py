"""The training text: tiny Shakespeare, fetched and checked by ``tinyshakespeare``."""
