"""Hints for chapter 07, MultiHeadAttention: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "MultiHeadAttention.__init__": {
        "en": [
            "How wide must each head be if n heads joined side by side give back C numbers? And how do you keep "
            "n separate heads so that PyTorch sees all of their parameters?",
            "head_size = C // n. Create n distinct AttentionHead(head_size, config) objects, a new one on every "
            "turn of a loop ([head] * n would repeat a single head), inside an nn.ModuleList. Then the output "
            "projection, a Linear from C to C, and a dropout with config.dropout_rate.",
            "head_size = config.embedding_dim // ...\n"
            "self.attention_heads = nn.ModuleList([AttentionHead(..., config) for _ in range(...)])\n"
            "self.output_projection = nn.Linear(..., ...)\n"
            "self.dropout = nn.Dropout(...)",
        ],
        "zh": [
            "n 个 head 并排拼接后要回到 C 个数，那每个 head 应该多宽？要怎样保存 n 个独立的 head，"
            "才能让 PyTorch 看到它们全部的参数？",
            "head_size = C // n。在循环里每次新建一个 AttentionHead(head_size, config)，共 n 个不同的对象"
            "（[head] * n 只会把同一个 head 重复 n 次），放进 nn.ModuleList。然后是输出投影：一个从 C 到 C 的 Linear，"
            "以及使用 config.dropout_rate 的 dropout。",
            "head_size = config.embedding_dim // ...\n"
            "self.attention_heads = nn.ModuleList([AttentionHead(..., config) for _ in range(...)])\n"
            "self.output_projection = nn.Linear(..., ...)\n"
            "self.dropout = nn.Dropout(...)",
        ],
        "ja": [
            "n 個の head を横に並べて C 個の数に戻すには、各 head の幅はいくつにすべきでしょう？ また、PyTorch が"
            "すべてのパラメータを認識できるように n 個の別々の head を持つにはどうすればよいでしょう？",
            "head_size = C // n です。ループの中で毎回新しい AttentionHead(head_size, config) を作り、n 個の別々の"
            "オブジェクトを nn.ModuleList に入れます（[head] * n だと同じ head が n 回並ぶだけです）。そして C から C への "
            "Linear である出力射影と、config.dropout_rate の dropout を用意します。",
            "head_size = config.embedding_dim // ...\n"
            "self.attention_heads = nn.ModuleList([AttentionHead(..., config) for _ in range(...)])\n"
            "self.output_projection = nn.Linear(..., ...)\n"
            "self.dropout = nn.Dropout(...)",
        ],
    },
    "MultiHeadAttention.forward": {
        "en": [
            "Every head looks at the same input_tensor. What do you do with their n outputs, and what comes after joining "
            "them?",
            "Run every head on input_tensor and join the outputs on the last dimension, in list order: (B, T, n * H) = "
            "(B, T, C). Then the output projection mixes what the heads found, and dropout comes last.",
            "heads = torch.cat([... for head in self.attention_heads], dim=...)    # (B, T, C)\n"
            "return self.dropout(...)",
        ],
        "zh": [
            "每个 head 看的都是同一个 input_tensor。它们的 n 个输出要怎么处理？拼接之后又接什么？",
            "让每个 head 都处理 input_tensor，按列表顺序在最后一维上拼接输出：(B, T, n * H) = (B, T, C)。然后用输出投影把各个 head "
            "的结果混合起来，最后做 dropout。",
            "heads = torch.cat([... for head in self.attention_heads], dim=...)    # (B, T, C)\n"
            "return self.dropout(...)",
        ],
        "ja": [
            "どの head も同じ input_tensor を見ます。n 個の出力をどうまとめ、まとめた後には何が来るでしょう？",
            "各 head に input_tensor を通し、出力をリストの順番のまま最後の次元でつなげます：(B, T, n * H) = (B, T, C)。"
            "続いて出力射影が各 head の結果を混ぜ合わせ、最後に dropout です。",
            "heads = torch.cat([... for head in self.attention_heads], dim=...)    # (B, T, C)\n"
            "return self.dropout(...)",
        ],
    },
}
