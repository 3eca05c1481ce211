"""Hints for chapter 08, FeedForward: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "FeedForward.__init__": {
        "en": [
            "The module docstring draws the network layer by layer. The attribute is a single nn.Sequential "
            "called net.",
            "nn.Sequential runs its modules in order: a Linear that widens C to hidden_dim, a ReLU, a Linear "
            "back from hidden_dim to C, and a Dropout with config.dropout_rate.",
            "self.net = nn.Sequential(\n"
            "    nn.Linear(..., ...),\n"
            "    ...,                     # the non-linearity\n"
            "    nn.Linear(..., ...),\n"
            "    nn.Dropout(...),\n"
            ")",
        ],
        "zh": [
            "模块 docstring 把网络一层一层画出来了。属性是一个名叫 net 的 nn.Sequential。",
            "nn.Sequential 会按顺序执行其中的模块：一个把 C 扩宽到 hidden_dim 的 Linear、一个 ReLU、一个从 hidden_dim "
            "变回 C 的 Linear，以及使用 config.dropout_rate 的 Dropout。",
            "self.net = nn.Sequential(\n"
            "    nn.Linear(..., ...),\n"
            "    ...,                     # 非线性\n"
            "    nn.Linear(..., ...),\n"
            "    nn.Dropout(...),\n"
            ")",
        ],
        "ja": [
            "モジュールの docstring にネットワークが層ごとに描かれています。属性は net という名前の nn.Sequential 1 つです。",
            "nn.Sequential は中のモジュールを順番に実行します：C を hidden_dim に広げる Linear、ReLU、hidden_dim から "
            "C に戻す Linear、そして config.dropout_rate の Dropout。",
            "self.net = nn.Sequential(\n"
            "    nn.Linear(..., ...),\n"
            "    ...,                     # 非線形\n"
            "    nn.Linear(..., ...),\n"
            "    nn.Dropout(...),\n"
            ")",
        ],
    },
    "FeedForward.forward": {
        "en": [
            "net already knows the whole recipe.",
            "Call net on input_tensor. A Linear acts on the last dimension only, so every position is processed on its own "
            "and (..., C) comes back as (..., C).",
            "return self....(input_tensor)",
        ],
        "zh": [
            "net 已经知道整个流程了。",
            "用 input_tensor 调用 net。Linear 只作用在最后一维上，所以每个位置都是单独处理的，(..., C) 进去还是 (..., C) 出来。",
            "return self....(input_tensor)",
        ],
        "ja": [
            "net はもう手順をすべて知っています。",
            "input_tensor を渡して net を呼びます。Linear は最後の次元にだけ作用するので、各位置は別々に処理され、(..., C) は "
            "(..., C) のまま返ってきます。",
            "return self....(input_tensor)",
        ],
    },
}
