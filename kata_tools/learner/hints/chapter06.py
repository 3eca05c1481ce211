"""Hints for chapter 06, AttentionHead: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "AttentionHead.__init__": {
        "en": [
            "The class docstring lists what to create: three projections without bias, a dropout, and the "
            "causal mask. A projection takes C numbers to H numbers: what are its sizes?",
            "key_fc, query_fc and value_fc are each a Linear from C = config.embedding_dim to head_size, with "
            "bias=False. dropout uses config.dropout_rate. Build the (block, block) lower-triangular mask once, "
            "for block = input_sequence_length, and store it with register_buffer: it then moves with the module "
            "but is not trained. Keep head_size too, for the scale.",
            "self.head_size = head_size\n"
            "self.key_fc = nn.Linear(..., ..., bias=False)\n"
            "self.query_fc = ...\n"
            "self.value_fc = ...\n"
            "self.dropout = nn.Dropout(...)\n"
            "block = config.input_sequence_length\n"
            "self.register_buffer(\"tril\", ...)    # (block, block), lower triangle of ones",
        ],
        "zh": [
            "类的 docstring 列出了要创建的东西：三个不带偏置的投影、一个 dropout 和因果掩码。投影把 C 个数变成 H 个数，"
            "它的两个尺寸是什么？",
            "key_fc、query_fc、value_fc 都是从 C = config.embedding_dim 到 head_size 的 Linear，并且 bias=False。"
            "dropout 用 config.dropout_rate。掩码是 (block, block) 的下三角矩阵，block = input_sequence_length，只做一次，"
            "用 register_buffer 保存：这样它会跟着模块移动设备，但不会被训练。head_size 也存下来，缩放时要用。",
            "self.head_size = head_size\n"
            "self.key_fc = nn.Linear(..., ..., bias=False)\n"
            "self.query_fc = ...\n"
            "self.value_fc = ...\n"
            "self.dropout = nn.Dropout(...)\n"
            "block = config.input_sequence_length\n"
            "self.register_buffer(\"tril\", ...)    # (block, block)，全 1 的下三角",
        ],
        "ja": [
            "クラスの docstring に作るものが並んでいます：バイアスなしの射影が 3 つ、dropout、そして因果マスク。"
            "射影は C 個の数を H 個にします。サイズはどうなるでしょう？",
            "key_fc、query_fc、value_fc はどれも C = config.embedding_dim から head_size への Linear で、bias=False です。"
            "dropout は config.dropout_rate を使います。マスクは block = input_sequence_length の (block, block) 下三角"
            "行列を 1 度だけ作り、register_buffer で保存します。こうするとモジュールと一緒にデバイスを移動しますが、"
            "学習はされません。スケールに使うので head_size も保存しておきましょう。",
            "self.head_size = head_size\n"
            "self.key_fc = nn.Linear(..., ..., bias=False)\n"
            "self.query_fc = ...\n"
            "self.value_fc = ...\n"
            "self.dropout = nn.Dropout(...)\n"
            "block = config.input_sequence_length\n"
            "self.register_buffer(\"tril\", ...)    # (block, block)、1 の下三角",
        ],
    },
    "AttentionHead.forward": {
        "en": [
            "Follow the recipe in the module docstring step by step: three projections, the scores, the mask, "
            "the softmax, the dropout, and a weighted sum of the values. Write the shape next to every line.",
            "Project input_tensor into queries, keys and values, each (B, T, H). The scores are queries times the keys with "
            "their last two dimensions swapped, scaled by head_size ** -0.5: (B, T, T). Fill the future (where "
            "the mask's top-left (T, T) corner is 0) with -inf, softmax over the last dimension, apply dropout "
            "to these weights, and multiply them by the values: (B, T, H). The mask was made for the longest "
            "block, so cut it to the input's T.",
            "B, T, C = input_tensor.shape\n"
            "keys = self.key_fc(input_tensor)                          # (B, T, H)\n"
            "queries = ...                                  # (B, T, H)\n"
            "values = ...                                   # (B, T, H)\n"
            "scores = queries @ ... * ...                   # (B, T, T)\n"
            "scores = scores.masked_fill(..., float(\"-inf\"))\n"
            "weights = F.softmax(..., dim=...)              # (B, T, T)\n"
            "weights = self.dropout(weights)\n"
            "return ... @ ...                               # (B, T, H)",
        ],
        "zh": [
            "按模块 docstring 里的步骤一步一步来：三个投影、打分、掩码、softmax、dropout，最后对 values 加权求和。"
            "每写一行，都在旁边标上形状。",
            "把 input_tensor 投影成 queries、keys、values，各是 (B, T, H)。分数等于 queries 乘以“最后两维交换后的 keys”，"
            "再乘以 head_size ** -0.5，得到 (B, T, T)。把未来的位置（掩码左上角 (T, T) 中为 0 的地方）填成 -inf，"
            "在最后一维上做 softmax，对这些权重做 dropout，再乘以 values，得到 (B, T, H)。掩码是按最长的 block 做的，"
            "所以要裁成输入的 T。",
            "B, T, C = input_tensor.shape\n"
            "keys = self.key_fc(input_tensor)                          # (B, T, H)\n"
            "queries = ...                                  # (B, T, H)\n"
            "values = ...                                   # (B, T, H)\n"
            "scores = queries @ ... * ...                   # (B, T, T)\n"
            "scores = scores.masked_fill(..., float(\"-inf\"))\n"
            "weights = F.softmax(..., dim=...)              # (B, T, T)\n"
            "weights = self.dropout(weights)\n"
            "return ... @ ...                               # (B, T, H)",
        ],
        "ja": [
            "モジュールの docstring の手順を 1 つずつ追いましょう：3 つの射影、スコア、マスク、softmax、dropout、"
            "そして values の重み付き和。各行の横に形を書き添えてみてください。",
            "input_tensor を queries、keys、values に射影します（どれも (B, T, H)）。スコアは queries と「最後の 2 次元を入れ替えた "
            "keys」の積に head_size ** -0.5 を掛けたもので、(B, T, T) です。未来（マスクの左上 (T, T) 部分が 0 の所）を "
            "-inf で埋め、最後の次元で softmax をとり、その重みに dropout をかけ、values を掛けて (B, T, H) にします。"
            "マスクは一番長い block 用に作ってあるので、入力の T に合わせて切り出しましょう。",
            "B, T, C = input_tensor.shape\n"
            "keys = self.key_fc(input_tensor)                          # (B, T, H)\n"
            "queries = ...                                  # (B, T, H)\n"
            "values = ...                                   # (B, T, H)\n"
            "scores = queries @ ... * ...                   # (B, T, T)\n"
            "scores = scores.masked_fill(..., float(\"-inf\"))\n"
            "weights = F.softmax(..., dim=...)              # (B, T, T)\n"
            "weights = self.dropout(weights)\n"
            "return ... @ ...                               # (B, T, H)",
        ],
    },
}
