"""Corpus: loaders, structure, commitment extraction and the bundled London corpus."""
