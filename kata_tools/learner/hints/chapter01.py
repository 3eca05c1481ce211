"""Hints for chapter 01, DataLoader: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "DataLoader.__init__": {
        "en": [
            "Four things to set up, in the order the module docstring lists them: the vocabulary, the two "
            "dictionaries, the encoded text, and the split.",
            "The vocabulary is the text's distinct characters, sorted (a set, then sorted). Number them with "
            "enumerate to build ctoi (character to id) and itoc (id to character); vocab_size is how many there "
            "are. Encode the whole text with your own encode, make it a LongTensor, and let split_data fill "
            "train_data and val_data.",
            "characters = sorted(...)\n"
            "self.vocab_size = ...\n"
            "self.ctoi = {character: index for index, character in ...}\n"
            "self.itoc = {...}\n"
            "self.data = torch.tensor(self.encode(...), dtype=...)\n"
            "self.train_data, self.val_data = ...",
        ],
        "zh": [
            "要准备四样东西，顺序和模块 docstring 里列的一样：词表、两个字典、编码后的文本，以及训练/验证的划分。",
            "词表就是文本中所有不同的字符，排好序（先 set 再 sorted）。用 enumerate 给它们编号，得到 ctoi（字符到 id）"
            "和 itoc（id 到字符）；vocab_size 就是字符的个数。用你自己写的 encode 把整段文本编码，转成 LongTensor，"
            "再让 split_data 填好 train_data 和 val_data。",
            "characters = sorted(...)\n"
            "self.vocab_size = ...\n"
            "self.ctoi = {character: index for index, character in ...}\n"
            "self.itoc = {...}\n"
            "self.data = torch.tensor(self.encode(...), dtype=...)\n"
            "self.train_data, self.val_data = ...",
        ],
        "ja": [
            "用意するものは 4 つ。モジュールの docstring に書かれた順番どおり、語彙、2 つの辞書、エンコードした"
            "テキスト、そして分割です。",
            "語彙はテキストに出てくる文字の重複なし一覧を並べ替えたものです（set にしてから sorted）。enumerate で番号を"
            "振って ctoi（文字 → id）と itoc（id → 文字）を作り、vocab_size はその文字数です。自分で書く encode で"
            "テキスト全体をエンコードして LongTensor にし、split_data で train_data と val_data を埋めましょう。",
            "characters = sorted(...)\n"
            "self.vocab_size = ...\n"
            "self.ctoi = {character: index for index, character in ...}\n"
            "self.itoc = {...}\n"
            "self.data = torch.tensor(self.encode(...), dtype=...)\n"
            "self.train_data, self.val_data = ...",
        ],
    },
    "DataLoader.encode": {
        "en": [
            "encode looks every character up in one of the two dictionaries you built. Which one maps a "
            "character to its id?",
            "Go through the text one character at a time and collect each character's id from ctoi in a list. "
            "The ids come out in the order of the characters.",
            "return [self.ctoi[...] for ... in text]",
        ],
        "zh": [
            "encode 要在你建好的两个字典之一里查每个字符。哪个字典把字符映射到 id？",
            "逐个字符遍历文本，从 ctoi 里取出每个字符的 id，放进一个列表。id 的顺序就是字符的顺序。",
            "return [self.ctoi[...] for ... in text]",
        ],
        "ja": [
            "encode は、作った 2 つの辞書のどちらかで各文字を引きます。文字を id に対応させるのはどちらでしょう？",
            "テキストを 1 文字ずつたどり、ctoi から各文字の id を取り出してリストに集めます。id の並びは文字の並びと"
            "同じです。",
            "return [self.ctoi[...] for ... in text]",
        ],
    },
    "DataLoader.decode": {
        "en": [
            "decode is encode backwards: ids to characters, then one string.",
            "Look every id up in itoc and join the characters into one string with \"\".join(...). The ids may "
            "arrive as a tensor: the given line above your code has already turned it into a list of ints.",
            "return \"\".join([self.itoc[...] for index in indices])",
        ],
        "zh": [
            "decode 就是反过来的 encode：id 变回字符，再拼成一个字符串。",
            "在 itoc 里查每个 id，再用 \"\".join(...) 把字符拼成一个字符串。id 也可能是张量传进来的："
            "上面给定的那一行已经把它变成了 int 列表。",
            "return \"\".join([self.itoc[...] for index in indices])",
        ],
        "ja": [
            "decode は encode の逆です。id を文字に戻し、1 つの文字列にします。",
            "各 id を itoc で引き、\"\".join(...) で 1 つの文字列につなげます。id はテンソルで渡されることもあります。"
            "上にある与えられた行が、それをすでに int のリストにしています。",
            "return \"\".join([self.itoc[...] for index in indices])",
        ],
    },
    "DataLoader.split_data": {
        "en": [
            "The docstring gives the split point exactly. Everything before it is for training, everything from "
            "it on is for validation.",
            "Compute the split point from the length of self.data, then slice self.data twice: up to the point, "
            "and from the point to the end. No shuffling: validation is a later stretch of the play.",
            "split_point = int(...)\n"
            "return self.data[...], self.data[...]",
        ],
        "zh": [
            "docstring 里已经准确给出了分割点。它之前的用于训练，从它开始往后的用于验证。",
            "根据 self.data 的长度算出分割点，然后对 self.data 切两次片：到分割点为止，以及从分割点到结尾。"
            "不要打乱顺序：验证集是剧本后面的一段。",
            "split_point = int(...)\n"
            "return self.data[...], self.data[...]",
        ],
        "ja": [
            "分割点は docstring にそのまま書いてあります。それより前が訓練用、そこから後ろが検証用です。",
            "self.data の長さから分割点を計算し、self.data を 2 回スライスします。分割点までと、分割点から最後まで。"
            "シャッフルはしません。検証データは戯曲の後半の一続きです。",
            "split_point = int(...)\n"
            "return self.data[...], self.data[...]",
        ],
    },
    "DataLoader.get_batch": {
        "en": [
            "A batch is batch_size windows of T tokens, each starting at a random place. Where may the last "
            "window start so that it still has a next character for its targets?",
            "Draw batch_size random start positions with torch.randint, from 0 up to len(source) - T "
            "(exclusive). inputs are the windows source[start : start + T]; targets are the same windows moved "
            "one token to the right. Stack each list into (B, T) and move both to config.device_type.",
            "starts = torch.randint(..., (self.config.batch_size,))\n"
            "inputs = torch.stack([source[start : ...] for start in starts])    # (B, T)\n"
            "targets = torch.stack([source[...] for start in starts])           # (B, T)\n"
            "return inputs.to(...), targets.to(...)",
        ],
        "zh": [
            "一个批次由 batch_size 个长度为 T 的窗口组成，每个窗口从随机位置开始。最后一个窗口最晚能从哪里开始，"
            "才能保证它的 targets 还有“下一个字符”？",
            "用 torch.randint 抽 batch_size 个随机起点，范围是 0 到 len(source) - T（不含）。inputs 是窗口 "
            "source[start : start + T]；targets 是同样的窗口向右移一个 token。把两组窗口各自 stack 成 (B, T)，"
            "再一起放到 config.device_type 上。",
            "starts = torch.randint(..., (self.config.batch_size,))\n"
            "inputs = torch.stack([source[start : ...] for start in starts])    # (B, T)\n"
            "targets = torch.stack([source[...] for start in starts])           # (B, T)\n"
            "return inputs.to(...), targets.to(...)",
        ],
        "ja": [
            "1 つのバッチは、長さ T のウィンドウ batch_size 個でできていて、それぞれランダムな位置から始まります。"
            "targets に「次の文字」が残るためには、最後のウィンドウはどこまでに始まる必要があるでしょう？",
            "torch.randint で 0 から len(source) - T（含まない）までの開始位置を batch_size 個引きます。inputs は"
            "ウィンドウ source[start : start + T]、targets は同じウィンドウを 1 トークン右にずらしたものです。"
            "それぞれを stack して (B, T) にし、両方を config.device_type に移します。",
            "starts = torch.randint(..., (self.config.batch_size,))\n"
            "inputs = torch.stack([source[start : ...] for start in starts])    # (B, T)\n"
            "targets = torch.stack([source[...] for start in starts])           # (B, T)\n"
            "return inputs.to(...), targets.to(...)",
        ],
    },
}
