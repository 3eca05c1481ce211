"""Hints for chapter 11, BigramLanguageModel: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "BigramLanguageModel.__init__": {
        "en": [
            "The class docstring names the three parts: embedding, blocks and vocab_projection. You built each "
            "of them in an earlier chapter.",
            "embedding is an EmbeddingModule for vocab_size; blocks is an nn.Sequential of config.layer_count "
            "separate TransformerBlock objects (a new one for every layer); vocab_projection is a "
            "VocabularyLogits for vocab_size.",
            "self.embedding = EmbeddingModule(..., config)\n"
            "self.blocks = nn.Sequential(*[... for _ in range(...)])\n"
            "self.vocab_projection = VocabularyLogits(..., ...)\n"
            "self.criterion = nn.CrossEntropyLoss()",
        ],
        "zh": [
            "类的 docstring 点出了三个部分：embedding、blocks 和 vocab_projection。每一个你都在前面的章节里做过。",
            "embedding 是针对 vocab_size 的 EmbeddingModule；blocks 是由 config.layer_count 个独立的 TransformerBlock "
            "组成的 nn.Sequential（每层新建一个）；vocab_projection 是针对 vocab_size 的 VocabularyLogits。",
            "self.embedding = EmbeddingModule(..., config)\n"
            "self.blocks = nn.Sequential(*[... for _ in range(...)])\n"
            "self.vocab_projection = VocabularyLogits(..., ...)\n"
            "self.criterion = nn.CrossEntropyLoss()",
        ],
        "ja": [
            "クラスの docstring に 3 つの部品の名前があります：embedding、blocks、vocab_projection。どれも前の章で"
            "作ったものです。",
            "embedding は vocab_size 用の EmbeddingModule、blocks は config.layer_count 個の別々の TransformerBlock"
            "（層ごとに新しく作る）を並べた nn.Sequential、vocab_projection は vocab_size 用の VocabularyLogits です。",
            "self.embedding = EmbeddingModule(..., config)\n"
            "self.blocks = nn.Sequential(*[... for _ in range(...)])\n"
            "self.vocab_projection = VocabularyLogits(..., ...)\n"
            "self.criterion = nn.CrossEntropyLoss()",
        ],
    },
    "BigramLanguageModel.forward": {
        "en": [
            "Two jobs: logits always, a loss only when targets are given. Which shapes does F.cross_entropy want? "
            "Chapter 00's flatten_for_cross_entropy already answered that.",
            "Embed the (B, T) ids into (B, T, C), run the blocks, project to (B, T, V) logits. Without targets, "
            "return the logits and None. With targets, view the logits as (B * T, V) and the targets as "
            "(B * T,); the loss is self.criterion (an nn.CrossEntropyLoss) of the two, a single number.",
            "x = self.embedding(...)              # (B, T, C)\n"
            "x = ...                              # (B, T, C)\n"
            "logits = ...                         # (B, T, V)\n"
            "if target_indices is None:\n"
            "    return logits, None\n"
            "B, T, V = logits.shape\n"
            "logits = logits.view(..., ...)       # (B * T, V)\n"
            "targets = target_indices.view(...)   # (B * T,)\n"
            "loss = self.criterion(..., ...)\n"
            "return logits, loss",
        ],
        "zh": [
            "两件事：总是要输出 logits，只有给了 targets 时才算 loss。F.cross_entropy 需要什么形状？"
            "第 00 章的 flatten_for_cross_entropy 已经回答过了。",
            "把 (B, T) 的 id 嵌入成 (B, T, C)，经过 blocks，再投影成 (B, T, V) 的 logits。没有 targets 时，返回 logits "
            "和 None。有 targets 时，把 logits view 成 (B * T, V)、targets view 成 (B * T,)；loss 就是两者的 "
            "self.criterion（nn.CrossEntropyLoss），一个数。",
            "x = self.embedding(...)              # (B, T, C)\n"
            "x = ...                              # (B, T, C)\n"
            "logits = ...                         # (B, T, V)\n"
            "if target_indices is None:\n"
            "    return logits, None\n"
            "B, T, V = logits.shape\n"
            "logits = logits.view(..., ...)       # (B * T, V)\n"
            "targets = target_indices.view(...)   # (B * T,)\n"
            "loss = self.criterion(..., ...)\n"
            "return logits, loss",
        ],
        "ja": [
            "仕事は 2 つ：logits はいつも、loss は targets が渡されたときだけ。F.cross_entropy はどんな形を受け取る"
            "でしょう？ 第 00 章の flatten_for_cross_entropy がもう答えています。",
            "(B, T) の id を (B, T, C) に埋め込み、blocks に通し、(B, T, V) の logits に射影します。targets がなければ "
            "logits と None を返します。あれば logits を (B * T, V)、targets を (B * T,) に view し、その 2 つの "
            "self.criterion（nn.CrossEntropyLoss）が loss（1 つの数）です。",
            "x = self.embedding(...)              # (B, T, C)\n"
            "x = ...                              # (B, T, C)\n"
            "logits = ...                         # (B, T, V)\n"
            "if target_indices is None:\n"
            "    return logits, None\n"
            "B, T, V = logits.shape\n"
            "logits = logits.view(..., ...)       # (B * T, V)\n"
            "targets = target_indices.view(...)   # (B * T,)\n"
            "loss = self.criterion(..., ...)\n"
            "return logits, loss",
        ],
    },
    "BigramLanguageModel.generate": {
        "en": [
            "Generation is a loop of four steps, listed in the module docstring: crop, predict, sample, append. "
            "Start with the loop and the crop.",
            "max_new_tokens times: keep the last input_sequence_length tokens as the context; run the model on "
            "it and keep only the last position's logits, (B, V); softmax them into probabilities; draw one id "
            "per row with torch.multinomial, (B, 1); and concatenate it onto the sequence along the time "
            "dimension. Return the grown sequence. torch.no_grad() around the loop is optional: it saves the time of building graphs nobody uses.",
            "with torch.no_grad():    # optional: faster\n"
            "    for _ in range(...):\n"
            "        context = input_indices[:, ...]                 # (B, <= T): the last tokens only\n"
            "        logits, _ = self(...)                           # (B, T, V)\n"
            "        last_logits = logits[:, ..., :]                 # (B, V)\n"
            "        probabilities = F.softmax(..., dim=...)         # (B, V)\n"
            "        next_index = torch.multinomial(..., num_samples=...)    # (B, 1)\n"
            "        input_indices = torch.cat([..., ...], dim=...)  # (B, T + 1)\n"
            "return input_indices",
        ],
        "zh": [
            "生成就是一个四步循环，模块 docstring 里列出来了：裁剪、预测、采样、追加。先把循环和裁剪写出来。",
            "重复 max_new_tokens 次：只保留最后 input_sequence_length 个 token 作为上下文；让模型处理它，只取最后一个位置的 "
            "logits，(B, V)；用 softmax 变成概率；用 torch.multinomial 每行抽一个 id，(B, 1)；再沿时间维把它接到序列后面。"
            "最后返回变长了的序列。循环外面套 torch.no_grad() 是可选的：它省下构建没人用的计算图的时间。",
            "with torch.no_grad():    # optional: faster\n"
            "    for _ in range(...):\n"
            "        context = input_indices[:, ...]                 # (B, <= T)：只取最后的 token\n"
            "        logits, _ = self(...)                           # (B, T, V)\n"
            "        last_logits = logits[:, ..., :]                 # (B, V)\n"
            "        probabilities = F.softmax(..., dim=...)         # (B, V)\n"
            "        next_index = torch.multinomial(..., num_samples=...)    # (B, 1)\n"
            "        input_indices = torch.cat([..., ...], dim=...)  # (B, T + 1)\n"
            "return input_indices",
        ],
        "ja": [
            "生成は 4 つのステップのループで、モジュールの docstring に書いてあります：切り詰め、予測、サンプリング、"
            "追加。まずはループと切り詰めから書きましょう。",
            "max_new_tokens 回くり返します：最後の input_sequence_length 個のトークンだけを文脈として残し、モデルに通して"
            "最後の位置の logits (B, V) だけを取り出し、softmax で確率にし、torch.multinomial で各行から id を 1 つ引き "
            "(B, 1)、時間の次元に沿って系列の後ろにつなげます。伸びた系列を返します。ループを torch.no_grad() で包むのは任意で、誰も使わない計算グラフを作る時間を省けます。",
            "with torch.no_grad():    # optional: faster\n"
            "    for _ in range(...):\n"
            "        context = input_indices[:, ...]                 # (B, <= T)：最後のトークンだけ\n"
            "        logits, _ = self(...)                           # (B, T, V)\n"
            "        last_logits = logits[:, ..., :]                 # (B, V)\n"
            "        probabilities = F.softmax(..., dim=...)         # (B, V)\n"
            "        next_index = torch.multinomial(..., num_samples=...)    # (B, 1)\n"
            "        input_indices = torch.cat([..., ...], dim=...)  # (B, T + 1)\n"
            "return input_indices",
        ],
    },
}
