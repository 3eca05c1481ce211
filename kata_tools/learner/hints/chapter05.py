"""Hints for chapter 05, LayerNorm: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "LayerNorm.__init__": {
        "en": [
            "Keep eps and norm_dim, and make gamma and beta. Which of them must the optimiser be able to train, and "
            "what makes a tensor visible to it?",
            "gamma starts as ones and beta as zeros, each of shape (token_length,), and both are wrapped in "
            "nn.Parameter so that model.parameters() includes them. eps is a plain number kept on self.",
            "self.eps = ...\n"
            "self.norm_dim = ...\n"
            "self.gamma = nn.Parameter(torch.ones(...))\n"
            "self.beta = nn.Parameter(...)",
        ],
        "zh": [
            "保存 eps 和 norm_dim，再创建 gamma 和 beta。哪些需要让优化器来训练？怎样才能让优化器“看到”一个张量？",
            "gamma 初始为全 1，beta 初始为全 0，形状都是 (token_length,)，并且都要用 nn.Parameter 包起来，"
            "这样 model.parameters() 才会包含它们。eps 只是一个普通的数，存在 self 上就行。",
            "self.eps = ...\n"
            "self.norm_dim = ...\n"
            "self.gamma = nn.Parameter(torch.ones(...))\n"
            "self.beta = nn.Parameter(...)",
        ],
        "ja": [
            "eps と norm_dim を保存し、gamma と beta を作ります。オプティマイザに学習させる必要があるのはどれで、テンソルを"
            "オプティマイザから見えるようにするには何が必要でしょう？",
            "gamma は 1、beta は 0 で始め、形はどちらも (token_length,) です。両方を nn.Parameter で包むと "
            "model.parameters() に含まれます。eps はただの数なので self に保存するだけです。",
            "self.eps = ...\n"
            "self.norm_dim = ...\n"
            "self.gamma = nn.Parameter(torch.ones(...))\n"
            "self.beta = nn.Parameter(...)",
        ],
    },
    "LayerNorm.forward": {
        "en": [
            "The module docstring spells the formula out line by line. Over which dimension are the mean and "
            "the variance taken, and should that dimension stay (with size 1) so that the result broadcasts?",
            "Take the mean and the biased variance (unbiased=False, or correction=0) over dim=self.norm_dim (-1, the last dimension, by default) with "
            "keepdim=True, so both are (..., 1). Subtract the mean, divide by the square root of variance plus "
            "eps (eps inside the root), then scale by gamma and shift by beta.",
            "mean = x.mean(dim=..., keepdim=...)                      # (..., 1)\n"
            "variance = x.var(dim=..., keepdim=..., unbiased=...)    # (..., 1)\n"
            "x_hat = (x - ...) / torch.sqrt(...)                      # (..., C)\n"
            "return self.gamma * ... + ...",
        ],
        "zh": [
            "模块 docstring 把公式一行一行写出来了。均值和方差是在哪一维上算的？这一维要不要保留下来（尺寸为 1），"
            "好让结果能广播？",
            "在 dim=self.norm_dim（默认 -1，即最后一维）上求均值和有偏方差（unbiased=False，或 correction=0），并设 keepdim=True，让两者都是 (..., 1)。"
            "减去均值，除以“方差加 eps”的平方根（eps 在根号里面），再乘以 gamma、加上 beta。",
            "mean = x.mean(dim=..., keepdim=...)                      # (..., 1)\n"
            "variance = x.var(dim=..., keepdim=..., unbiased=...)    # (..., 1)\n"
            "x_hat = (x - ...) / torch.sqrt(...)                      # (..., C)\n"
            "return self.gamma * ... + ...",
        ],
        "ja": [
            "モジュールの docstring に式が 1 行ずつ書いてあります。平均と分散はどの次元でとるでしょう？ 結果が"
            "ブロードキャストされるよう、その次元を（サイズ 1 で）残すべきでしょうか？",
            "dim=self.norm_dim（既定は -1、最後の次元）で平均と偏りのある分散（unbiased=False、または correction=0）を keepdim=True でとり、どちらも "
            "(..., 1) にします。平均を引き、「分散 + eps」の平方根で割り（eps はルートの中）、gamma を掛けて beta を"
            "足します。",
            "mean = x.mean(dim=..., keepdim=...)                      # (..., 1)\n"
            "variance = x.var(dim=..., keepdim=..., unbiased=...)    # (..., 1)\n"
            "x_hat = (x - ...) / torch.sqrt(...)                      # (..., C)\n"
            "return self.gamma * ... + ...",
        ],
    },
}
