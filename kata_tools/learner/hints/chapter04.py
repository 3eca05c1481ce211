"""Hints for chapter 04, EmbeddingModule: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "EmbeddingModule.__init__": {
        "en": [
            "You have built both pieces already, in chapters 02 and 03. Which sizes does each one need, and "
            "where in config do you find them?",
            "token_embedding_layer is a TokenEmbedding of vocab_size ids; position_embedding_layer is a "
            "PositionEmbedding of input_sequence_length positions. Both have width config.embedding_dim.",
            "self.token_embedding_layer = TokenEmbedding(..., config....)\n"
            "self.position_embedding_layer = PositionEmbedding(config...., config....)",
        ],
        "zh": [
            "这两个部件你在第 02、03 章已经做好了。它们各自需要哪些尺寸？在 config 的哪里能找到？",
            "token_embedding_layer 是一个有 vocab_size 个 id 的 TokenEmbedding；position_embedding_layer 是一个有 "
            "input_sequence_length 个位置的 PositionEmbedding。两者的宽度都是 config.embedding_dim。",
            "self.token_embedding_layer = TokenEmbedding(..., config....)\n"
            "self.position_embedding_layer = PositionEmbedding(config...., config....)",
        ],
        "ja": [
            "どちらの部品も第 02 章と第 03 章で作りました。それぞれに必要なサイズは何で、config のどこにあるでしょう？",
            "token_embedding_layer は vocab_size 個の id を持つ TokenEmbedding、position_embedding_layer は "
            "input_sequence_length 個の位置を持つ PositionEmbedding です。幅はどちらも config.embedding_dim です。",
            "self.token_embedding_layer = TokenEmbedding(..., config....)\n"
            "self.position_embedding_layer = PositionEmbedding(config...., config....)",
        ],
    },
    "EmbeddingModule.forward": {
        "en": [
            "What a token is, plus where it is: two vectors, added together.",
            "The token layer turns (B, T) ids into (B, T, C); the position layer gives (T, C) for the same T. "
            "Adding them broadcasts the positions over the batch, and the result is (B, T, C).",
            "token_vectors = self.token_embedding_layer(...)          # (B, T, C)\n"
            "position_vectors = self.position_embedding_layer(...)    # (T, C)\n"
            "return ... + ...                                          # (B, T, C)",
        ],
        "zh": [
            "token 是什么，加上它在哪里：两个向量相加。",
            "token 层把 (B, T) 的 id 变成 (B, T, C)；位置层对同样的 T 给出 (T, C)。两者相加时，位置向量会在批次维上广播，"
            "结果是 (B, T, C)。",
            "token_vectors = self.token_embedding_layer(...)          # (B, T, C)\n"
            "position_vectors = self.position_embedding_layer(...)    # (T, C)\n"
            "return ... + ...                                          # (B, T, C)",
        ],
        "ja": [
            "トークンが「何か」と、それが「どこにあるか」。2 つのベクトルを足し合わせます。",
            "トークンの層は (B, T) の id を (B, T, C) にし、位置の層は同じ T に対して (T, C) を返します。足すと位置の"
            "ベクトルがバッチ方向にブロードキャストされ、結果は (B, T, C) になります。",
            "token_vectors = self.token_embedding_layer(...)          # (B, T, C)\n"
            "position_vectors = self.position_embedding_layer(...)    # (T, C)\n"
            "return ... + ...                                          # (B, T, C)",
        ],
    },
}
