"""Hints for chapter 12, Trainer: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "Trainer.train_step": {
        "en": [
            "Four moves, always in this order, listed in the module docstring. Which one is easy to forget, so "
            "that gradients pile up from one step to the next?",
            "Get a training batch from the data loader, call the model with (inputs, targets) to get the loss, "
            "clear the optimiser's old gradients, backpropagate the loss, and let the optimiser step. Return the "
            "loss as a plain Python float, not a tensor.",
            "inputs, targets = self.data_loader.get_batch(...)\n"
            "_, loss = self.model(..., ...)\n"
            "self.optimizer....()    # forget the last step's gradients\n"
            "loss....()              # compute new ones\n"
            "self.optimizer....()    # move the parameters\n"
            "return ...              # a float",
        ],
        "zh": [
            "四个动作，顺序固定，模块 docstring 里列出来了。哪一个最容易忘，导致梯度一步一步累积起来？",
            "从 data loader 取一个训练批次，用 (inputs, targets) 调用模型得到 loss，清掉优化器里旧的梯度，对 loss 反向传播，"
            "再让优化器走一步。返回的 loss 要是普通的 Python float，不是张量。",
            "inputs, targets = self.data_loader.get_batch(...)\n"
            "_, loss = self.model(..., ...)\n"
            "self.optimizer....()    # 清掉上一步的梯度\n"
            "loss....()              # 计算新的梯度\n"
            "self.optimizer....()    # 更新参数\n"
            "return ...              # 一个 float",
        ],
        "ja": [
            "動きは 4 つで、順番はいつも同じ。モジュールの docstring に並んでいます。忘れやすく、忘れると勾配が"
            "ステップごとに積み重なってしまうのはどれでしょう？",
            "data loader から訓練用のバッチを取り、(inputs, targets) でモデルを呼んで loss を得て、オプティマイザの古い"
            "勾配を消し、loss を逆伝播し、オプティマイザを 1 歩進めます。loss はテンソルではなく普通の Python の float で"
            "返しましょう。",
            "inputs, targets = self.data_loader.get_batch(...)\n"
            "_, loss = self.model(..., ...)\n"
            "self.optimizer....()    # 前のステップの勾配を消す\n"
            "loss....()              # 新しい勾配を計算する\n"
            "self.optimizer....()    # パラメータを動かす\n"
            "return ...              # float を返す",
        ],
    },
    "Trainer.evaluate": {
        "en": [
            "An evaluation must not train. Which mode should the model be in, what should autograd not do, and "
            "in which mode must the model be left afterwards?",
            "Switch to eval mode, then, without gradients (torch.no_grad()), average the loss of "
            "evaluation_loops batches of \"train\" and of \"val\". Return {\"train\": mean, \"val\": mean} as "
            "floats, and switch back to training mode before you return.",
            "self.model.eval()\n"
            "mean_losses = {}\n"
            "with torch.no_grad():\n"
            "    for split in (\"train\", \"val\"):\n"
            "        losses = ...                 # evaluation_loops losses of batches from this split\n"
            "        mean_losses[split] = ...     # their mean, a float\n"
            "self.model....()\n"
            "return mean_losses",
        ],
        "zh": [
            "评估时不能训练。模型应该处于哪种模式？autograd 不该做什么？评估完后模型又该回到哪种模式？",
            "切换到 eval 模式，然后在不计算梯度的情况下（torch.no_grad()），分别对 \"train\" 和 \"val\" 取 "
            "evaluation_loops 个批次，求 loss 的平均值。返回 {\"train\": 平均值, \"val\": 平均值}（都是 float），"
            "返回之前切回训练模式。",
            "self.model.eval()\n"
            "mean_losses = {}\n"
            "with torch.no_grad():\n"
            "    for split in (\"train\", \"val\"):\n"
            "        losses = ...                 # 这个划分里 evaluation_loops 个批次的 loss\n"
            "        mean_losses[split] = ...     # 它们的平均值，一个 float\n"
            "self.model....()\n"
            "return mean_losses",
        ],
        "ja": [
            "評価のときに学習してはいけません。モデルはどのモードにすべきで、autograd には何をさせないべきで、"
            "終わったらどのモードに戻すべきでしょう？",
            "eval モードに切り替え、勾配なしで（torch.no_grad()）\"train\" と \"val\" それぞれ evaluation_loops 個の"
            "バッチの loss を平均します。{\"train\": 平均, \"val\": 平均} を float で返し、返す前に訓練モードに戻します。",
            "self.model.eval()\n"
            "mean_losses = {}\n"
            "with torch.no_grad():\n"
            "    for split in (\"train\", \"val\"):\n"
            "        losses = ...                 # この分割から evaluation_loops 個のバッチの loss\n"
            "        mean_losses[split] = ...     # その平均（float）\n"
            "self.model....()\n"
            "return mean_losses",
        ],
    },
    "Trainer.train": {
        "en": [
            "The docstring says when to report: at step 0, every evaluation_frequency steps, and at the last "
            "step. Each report evaluates and prints one line; train returns nothing.",
            "Loop over range(total_training_steps). When the step is a multiple of evaluation_frequency, or is "
            "the last one (total_training_steps - 1), evaluate and print \"Step N: Train Loss X, Validation "
            "Loss Y\" before that step's update. Then take one train_step, on every turn.",
            "for step in range(...):\n"
            "    if step % ... == 0 or step == ...:\n"
            "        losses = self.evaluate()\n"
            "        print(f\"Step {step}: Train Loss {...:.4f}, Validation Loss {...:.4f}\")\n"
            "    self.train_step()",
        ],
        "zh": [
            "docstring 写明了什么时候汇报：第 0 步、每隔 evaluation_frequency 步，以及最后一步。"
            "每次汇报都要评估一次、打印一行；train 不返回任何东西。",
            "循环 range(total_training_steps)。当步数是 evaluation_frequency 的倍数，或者是最后一步"
            "（total_training_steps - 1）时，在这一步更新之前先评估，并打印 \"Step N: Train Loss X, Validation Loss Y\"。"
            "然后每一轮都做一次 train_step。",
            "for step in range(...):\n"
            "    if step % ... == 0 or step == ...:\n"
            "        losses = self.evaluate()\n"
            "        print(f\"Step {step}: Train Loss {...:.4f}, Validation Loss {...:.4f}\")\n"
            "    self.train_step()",
        ],
        "ja": [
            "いつ報告するかは docstring に書いてあります：ステップ 0、evaluation_frequency ステップごと、そして最後の"
            "ステップ。報告のたびに評価して 1 行 print します。train は何も返しません。",
            "range(total_training_steps) でループします。ステップ番号が evaluation_frequency の倍数か、最後のステップ"
            "（total_training_steps - 1）のときは、そのステップの更新の前に評価し、\"Step N: Train Loss X, Validation "
            "Loss Y\" を print します。そして毎回 train_step を 1 回行います。",
            "for step in range(...):\n"
            "    if step % ... == 0 or step == ...:\n"
            "        losses = self.evaluate()\n"
            "        print(f\"Step {step}: Train Loss {...:.4f}, Validation Loss {...:.4f}\")\n"
            "    self.train_step()",
        ],
    },
}
