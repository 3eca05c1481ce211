"""Hints for chapter 10, VocabularyLogits: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "VocabularyLogits.__init__": {
        "en": [
            "Two attributes: output_norm and vocab_projection. From which size to which size does the "
            "projection go?",
            "output_norm is a LayerNorm over C = config.embedding_dim; vocab_projection is a Linear from C to "
            "vocab_size: one score for every character of the vocabulary.",
            "self.output_norm = ...(config.embedding_dim)\n"
            "self.vocab_projection = nn.Linear(..., ...)",
        ],
        "zh": [
            "两个属性：output_norm 和 vocab_projection。投影是从多大变到多大？",
            "output_norm 是对 C = config.embedding_dim 的 LayerNorm；vocab_projection 是从 C 到 vocab_size 的 Linear："
            "词表里每个字符一个分数。",
            "self.output_norm = ...(config.embedding_dim)\n"
            "self.vocab_projection = nn.Linear(..., ...)",
        ],
        "ja": [
            "属性は output_norm と vocab_projection の 2 つ。射影はどのサイズからどのサイズへでしょう？",
            "output_norm は C = config.embedding_dim に対する LayerNorm、vocab_projection は C から vocab_size への "
            "Linear です。語彙の各文字に 1 つずつスコアを出します。",
            "self.output_norm = ...(config.embedding_dim)\n"
            "self.vocab_projection = nn.Linear(..., ...)",
        ],
    },
    "VocabularyLogits.forward": {
        "en": [
            "Normalise first, then project: (B, T, C) in, (B, T, V) out.",
            "Apply output_norm to x, then vocab_projection to the result. The Linear acts on the last "
            "dimension, so at every position C numbers become V scores.",
            "return self.vocab_projection(...)    # (B, T, V)",
        ],
        "zh": [
            "先归一化，再投影：(B, T, C) 进，(B, T, V) 出。",
            "先对 x 用 output_norm，再对结果用 vocab_projection。Linear 作用在最后一维上，所以每个位置的 C 个数都变成 "
            "V 个分数。",
            "return self.vocab_projection(...)    # (B, T, V)",
        ],
        "ja": [
            "先に正規化、それから射影。(B, T, C) が入って (B, T, V) が出ます。",
            "x に output_norm をかけ、その結果に vocab_projection をかけます。Linear は最後の次元に作用するので、"
            "各位置で C 個の数が V 個のスコアになります。",
            "return self.vocab_projection(...)    # (B, T, V)",
        ],
    },
}
