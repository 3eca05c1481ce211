"""Hints for chapter 02, TokenEmbedding: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "TokenEmbedding.__init__": {
        "en": [
            "The docstring names the attribute and its type: token_embedding_table, an nn.Embedding. What are "
            "its two sizes?",
            "nn.Embedding(number of ids, width) holds one learnable row per id: V rows of C numbers. Store it on "
            "self, so that PyTorch registers its weight as a parameter.",
            "self.token_embedding_table = nn.Embedding(..., ...)    # (V, C)",
        ],
        "zh": [
            "docstring 写明了属性名和类型：token_embedding_table，一个 nn.Embedding。它的两个尺寸分别是什么？",
            "nn.Embedding(id 的个数, 宽度) 为每个 id 保存一行可学习的数：V 行，每行 C 个数。把它存到 self 上，"
            "PyTorch 才会把它的权重登记为参数。",
            "self.token_embedding_table = nn.Embedding(..., ...)    # (V, C)",
        ],
        "ja": [
            "docstring に属性名と型が書いてあります：token_embedding_table、nn.Embedding です。2 つのサイズは何でしょう？",
            "nn.Embedding(id の数, 幅) は id ごとに学習できる行を 1 本ずつ持ちます。C 個の数が V 行です。self に"
            "保存すると、PyTorch がその重みをパラメータとして登録します。",
            "self.token_embedding_table = nn.Embedding(..., ...)    # (V, C)",
        ],
    },
    "TokenEmbedding.embed": {
        "en": [
            "An nn.Embedding is a module, and modules are called (or their forward is, as the tutorial writes).",
            "Calling the table with the input_indices looks every id up at once: ids of shape (B, T) come back as "
            "vectors of shape (B, T, C). There is nothing else to do.",
            "return self.token_embedding_table(...)",
        ],
        "zh": [
            "nn.Embedding 是一个模块，而模块是拿来调用的。",
            "用 input_indices 调用这张表，就能一次查出所有 id：形状 (B, T) 的 id 会变成形状 (B, T, C) 的向量。别的什么都不用做。",
            "return self.token_embedding_table(...)",
        ],
        "ja": [
            "nn.Embedding はモジュールです。モジュールは呼び出して使います。",
            "input_indices を渡して表を呼び出すと、すべての id を一度に引けます。形 (B, T) の id が形 (B, T, C) のベクトルに"
            "なって返ってきます。ほかにすることはありません。",
            "return self.token_embedding_table(...)",
        ],
    },
}
