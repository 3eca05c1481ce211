"""The curriculum's table of contents: the one list every tool reads."""

from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Chapter:
    number: int
    module: str  # e.g. "chapter06_attention_head"
    title: str  # e.g. "AttentionHead"
    builds: str  # one line for the README's chapter table

    @property
    def label(self):
        return f"{self.number:02d}"

    @property
    def test_file(self):
        return REPO_ROOT / "tests" / f"test_{self.module}.py"

    def source_file(self, package):
        return REPO_ROOT / package / f"{self.module}.py"


CHAPTERS = (
    Chapter(0, "chapter00_warmup", "Warm-up", "slicing, tril masks, masked_fill, softmax, matmul, cat, view"),
    Chapter(1, "chapter01_data_loader", "DataLoader", "vocabulary, encode/decode, 90/10 split, random batches"),
    Chapter(2, "chapter02_token_embedding", "TokenEmbedding", "a learnable vector per character"),
    Chapter(3, "chapter03_position_embedding", "PositionEmbedding", "a learnable vector per position"),
    Chapter(4, "chapter04_embedding_module", "EmbeddingModule", "token + position embeddings"),
    Chapter(5, "chapter05_layer_norm", "LayerNorm", "per-token normalisation with gamma and beta"),
    Chapter(6, "chapter06_attention_head", "AttentionHead", "causal self-attention, one head"),
    Chapter(7, "chapter07_multi_head_attention", "MultiHeadAttention", "heads in parallel, joined and projected"),
    Chapter(8, "chapter08_feed_forward", "FeedForward", "the position-wise MLP"),
    Chapter(9, "chapter09_transformer_block", "TransformerBlock", "pre-norm residual block"),
    Chapter(10, "chapter10_vocabulary_logits", "VocabularyLogits", "final norm and projection to the vocabulary"),
    Chapter(11, "chapter11_bigram_language_model", "BigramLanguageModel", "the whole GPT: loss and generate"),
    Chapter(12, "chapter12_trainer", "Trainer", "AdamW steps, evaluation, training to a loss threshold"),
)


def chapter(number_or_label):
    """The Chapter for 6, "6" or "06"."""
    number = int(number_or_label)
    for candidate in CHAPTERS:
        if candidate.number == number:
            return candidate
    raise ValueError(f"there is no chapter {number_or_label!r}: chapters run from 00 to {CHAPTERS[-1].label}")


def chapter_of_path(path):
    """The Chapter whose test or source file ``path`` is, or None."""
    name = Path(str(path)).name
    for candidate in CHAPTERS:
        if candidate.module in name:
            return candidate
    return None
