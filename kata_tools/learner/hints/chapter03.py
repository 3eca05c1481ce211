"""Hints for chapter 03, PositionEmbedding: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "PositionEmbedding.__init__": {
        "en": [
            "It is chapter 02's table again, but the ids are positions. How many different positions can there be?",
            "Positions run from 0 to input_sequence_length - 1, so the table needs input_sequence_length rows of "
            "embedding_dim numbers. The attribute is called position_embedding_layer.",
            "self.position_embedding_layer = nn.Embedding(..., ...)    # (input_sequence_length, C)",
        ],
        "zh": [
            "还是第 02 章那样的表，只不过 id 换成了位置。一共可能有多少个不同的位置？",
            "位置从 0 到 input_sequence_length - 1，所以这张表需要 input_sequence_length 行，每行 embedding_dim 个数。"
            "属性名叫 position_embedding_layer。",
            "self.position_embedding_layer = nn.Embedding(..., ...)    # (input_sequence_length, C)",
        ],
        "ja": [
            "第 02 章と同じ表ですが、id の代わりに位置を使います。異なる位置はいくつありえるでしょう？",
            "位置は 0 から input_sequence_length - 1 までなので、表は embedding_dim 個の数を input_sequence_length 行"
            "持ちます。属性名は position_embedding_layer です。",
            "self.position_embedding_layer = nn.Embedding(..., ...)    # (input_sequence_length, C)",
        ],
    },
    "PositionEmbedding.forward": {
        "en": [
            "The values of the tokens do not matter here, only how many there are (T). Which positions does a "
            "sequence of length T have?",
            "torch.arange(T, device=input_indices.device) gives the positions 0..T-1; looking them up in the table "
            "gives (T, C). There is no batch dimension: chapter 04 adds it by broadcasting.",
            "positions = torch.arange(..., device=...)    # (T,)\n"
            "return self.position_embedding_layer(...)    # (T, C)",
        ],
        "zh": [
            "这里 token 的值不重要，重要的只是有几个（T）。长度为 T 的序列有哪些位置？",
            "torch.arange(T, device=input_indices.device) 给出位置 0..T-1；在表里查这些位置就得到 (T, C)。"
            "没有批次维：第 04 章相加时会自动广播。",
            "positions = torch.arange(..., device=...)    # (T,)\n"
            "return self.position_embedding_layer(...)    # (T, C)",
        ],
        "ja": [
            "ここではトークンの値は関係なく、いくつあるか（T）だけが大事です。長さ T の系列にはどんな位置があるでしょう？",
            "torch.arange(T, device=input_indices.device) で位置 0..T-1 が得られ、それを表で引くと (T, C) になります。"
            "バッチの次元はありません。第 04 章で足し合わせるときにブロードキャストされます。",
            "positions = torch.arange(..., device=...)    # (T,)\n"
            "return self.position_embedding_layer(...)    # (T, C)",
        ],
    },
}
