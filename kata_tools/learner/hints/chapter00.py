"""Hints for chapter 00, the warm-up: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "last_position": {
        "en": [
            "Which dimension of (B, T, C) is time? You want one position of it, the last one, and all of the "
            "other two.",
            "Indexing with a single integer removes that dimension: picking position -1 of T turns (B, T, C) "
            "into (B, C). Keep B and C whole with `:`.",
            "return x[:, ..., :]    # the middle index picks one time step: the last",
        ],
        "zh": [
            "(B, T, C) 里哪一维是时间？你只要时间维上的一个位置——最后一个，另外两维要完整保留。",
            "用单个整数做索引会把那一维去掉：在 T 上取第 -1 个位置，(B, T, C) 就变成 (B, C)。B 和 C 用 `:` 整个保留。",
            "return x[:, ..., :]    # 中间的索引选出一个时间步：最后一个",
        ],
        "ja": [
            "(B, T, C) のうち、時間の次元はどれでしょう？ 欲しいのはその中の最後の 1 か所だけで、残りの 2 つの次元は"
            "まるごと残します。",
            "整数 1 つでインデックスすると、その次元は消えます。T の -1 番目を取れば (B, T, C) は (B, C) になります。"
            "B と C は `:` でそのまま残しましょう。",
            "return x[:, ..., :]    # 真ん中のインデックスで時刻を 1 つ選ぶ：最後の時刻",
        ],
    },
    "shift_by_one": {
        "en": [
            "Work the docstring's example by hand: which tokens does `inputs` keep, and which does `targets` keep?",
            "Both are slices of the same sequence, one token shorter than it. inputs drop the last token, "
            "targets drop the first, so targets[i] is the token right after inputs[i].",
            "inputs = sequence[...]     # every token but the last\n"
            "targets = sequence[...]    # every token but the first\n"
            "return inputs, targets",
        ],
        "zh": [
            "照着 docstring 里的例子手算一遍：`inputs` 留下哪些 token？`targets` 留下哪些？",
            "两者都是同一个序列的切片，各比原序列短一个 token。inputs 去掉最后一个，targets 去掉第一个，"
            "这样 targets[i] 正好是 inputs[i] 后面的那个 token。",
            "inputs = sequence[...]     # 除了最后一个以外的所有 token\n"
            "targets = sequence[...]    # 除了第一个以外的所有 token\n"
            "return inputs, targets",
        ],
        "ja": [
            "docstring の例を手で追ってみましょう。`inputs` に残るのはどのトークンで、`targets` に残るのはどれでしょう？",
            "どちらも同じ系列のスライスで、元より 1 トークン短くなります。inputs は最後のトークンを、targets は最初の"
            "トークンを落とします。こうすると targets[i] は inputs[i] のすぐ次のトークンになります。",
            "inputs = sequence[...]     # 最後以外のすべてのトークン\n"
            "targets = sequence[...]    # 最初以外のすべてのトークン\n"
            "return inputs, targets",
        ],
    },
    "causal_mask": {
        "en": [
            "Draw the (T, T) matrix for T = 4. Row t is a position and may see columns 0..t. Which triangle of "
            "the matrix holds the ones?",
            "Start from a square matrix of ones, then keep only its lower triangle, diagonal included, and zero "
            "the rest. PyTorch has a function that does exactly that (its name is in the docstring).",
            "ones = torch.ones(..., ...)    # (T, T)\n"
            "return torch.tril(...)",
        ],
        "zh": [
            "画出 T = 4 时的 (T, T) 矩阵。第 t 行代表一个位置，它能看到第 0..t 列。1 应该在矩阵的哪个三角里？",
            "先做一个全是 1 的方阵，再只保留它的下三角（包括对角线），其余清零。PyTorch 正好有一个函数做这件事"
            "（名字就在 docstring 里）。",
            "ones = torch.ones(..., ...)    # (T, T)\n"
            "return torch.tril(...)",
        ],
        "ja": [
            "T = 4 のときの (T, T) 行列を描いてみましょう。行 t はひとつの位置で、列 0..t だけを見られます。"
            "1 が入るのは行列のどちらの三角形でしょう？",
            "1 だけの正方行列から始めて、対角線を含む下三角だけを残し、残りを 0 にします。PyTorch にはちょうどそれを"
            "する関数があります（名前は docstring に書いてあります）。",
            "ones = torch.ones(..., ...)    # (T, T)\n"
            "return torch.tril(...)",
        ],
    },
    "mask_future": {
        "en": [
            "The future is every column s with s > t: the part strictly above the diagonal. A -inf there becomes "
            "a weight of exactly 0 after the softmax.",
            "Build a boolean (T, T) mask that is True above the diagonal only (torch.triu with diagonal=1 on a "
            "matrix of ones, or the opposite of a causal mask), with T read from the last dimension of scores. "
            "masked_fill writes a value wherever the mask is True, and the mask broadcasts over the leading "
            "dimensions.",
            "T = scores.shape[-1]\n"
            "future = ...    # (T, T) booleans, True above the diagonal\n"
            "return scores.masked_fill(..., float(\"-inf\"))",
        ],
        "zh": [
            "“未来”就是所有 s > t 的列：对角线严格上方的部分。那里填 -inf，经过 softmax 后权重正好是 0。",
            "做一个布尔型的 (T, T) 掩码，只在对角线上方为 True（对全 1 矩阵用 torch.triu 并设 diagonal=1，"
            "或者把因果掩码取反），T 取自 scores 的最后一维。masked_fill 会在掩码为 True 的地方写入给定的值，"
            "掩码还会在前面的维度上自动广播。",
            "T = scores.shape[-1]\n"
            "future = ...    # (T, T) 布尔值，对角线上方为 True\n"
            "return scores.masked_fill(..., float(\"-inf\"))",
        ],
        "ja": [
            "「未来」とは s > t となるすべての列、つまり対角線より真に上の部分です。そこを -inf にすると、softmax の後で"
            "重みがちょうど 0 になります。",
            "対角線より上だけが True になる (T, T) の真偽値マスクを作りましょう（1 の行列に diagonal=1 で torch.triu、"
            "または因果マスクの否定）。T は scores の最後の次元から読み取ります。masked_fill はマスクが True の場所に値を"
            "書き込み、マスクは前の次元に向かってブロードキャストされます。",
            "T = scores.shape[-1]\n"
            "future = ...    # (T, T) の真偽値、対角線より上が True\n"
            "return scores.masked_fill(..., float(\"-inf\"))",
        ],
    },
    "softmax_rows": {
        "en": [
            "Along which dimension should the probabilities add up to 1? One query spreads its attention over "
            "the keys: the last dimension.",
            "softmax exponentiates every score and divides by the sum of its row, so larger scores get more of "
            "the weight and every row sums to 1. torch.nn.functional (imported as F) has it; tell it which "
            "dimension.",
            "return F.softmax(scores, dim=...)",
        ],
        "zh": [
            "概率应该沿着哪一维加起来等于 1？一个 query 把它的注意力分配给各个 key：也就是最后一维。",
            "softmax 先对每个分数取指数，再除以所在行的总和，所以分数越大分到的权重越多，每一行加起来都是 1。"
            "torch.nn.functional（导入为 F）里就有它，记得告诉它是哪一维。",
            "return F.softmax(scores, dim=...)",
        ],
        "ja": [
            "確率の合計が 1 になるのはどの次元に沿ってでしょう？ 1 つの query は注意を各 key に配分します。"
            "つまり最後の次元です。",
            "softmax は各スコアの指数をとり、その行の合計で割ります。大きいスコアほど重みが大きくなり、どの行も合計が 1 に"
            "なります。torch.nn.functional（F として import 済み）にあるので、次元を指定して呼びましょう。",
            "return F.softmax(scores, dim=...)",
        ],
    },
    "attention_scores": {
        "en": [
            "(B, T, H) @ (B, T, H) does not fit: a matrix product needs the inner sizes to match. What must "
            "happen to keys first?",
            "Swap the last two dimensions of keys so that they become (B, H, T). Then (B, T, H) @ (B, H, T) "
            "gives (B, T, T): every query dotted with every key, batch by batch.",
            "keys_t = keys.transpose(..., ...)    # (B, H, T)\n"
            "return queries @ ...                 # (B, T, T)",
        ],
        "zh": [
            "(B, T, H) @ (B, T, H) 对不上：矩阵乘法要求中间的两个尺寸相同。keys 需要先做什么？",
            "把 keys 的最后两维交换，变成 (B, H, T)。这样 (B, T, H) @ (B, H, T) 得到 (B, T, T)："
            "在每个批次里，每个 query 和每个 key 都做了点积。",
            "keys_t = keys.transpose(..., ...)    # (B, H, T)\n"
            "return queries @ ...                 # (B, T, T)",
        ],
        "ja": [
            "(B, T, H) @ (B, T, H) は形が合いません。行列積では内側のサイズがそろっている必要があります。"
            "まず keys をどうすればよいでしょう？",
            "keys の最後の 2 つの次元を入れ替えて (B, H, T) にします。すると (B, T, H) @ (B, H, T) は (B, T, T) になり、"
            "バッチごとにすべての query とすべての key の内積が並びます。",
            "keys_t = keys.transpose(..., ...)    # (B, H, T)\n"
            "return queries @ ...                 # (B, T, T)",
        ],
    },
    "concat_heads": {
        "en": [
            "Every head gives (B, T, H). Which dimension should grow when you put n of them side by side?",
            "Join the list along the last (feature) dimension, keeping the list's order: torch.cat joins a list "
            "of tensors. B and T stay as they are; the last size becomes n * H.",
            "return torch.cat(..., dim=...)    # (B, T, n * H)",
        ],
        "zh": [
            "每个 head 输出 (B, T, H)。把 n 个并排放在一起时，应该是哪一维变长？",
            "沿着最后一维（特征维）按列表顺序拼接：torch.cat 可以把一个张量列表拼起来。B 和 T 不变，最后一维变成 n * H。",
            "return torch.cat(..., dim=...)    # (B, T, n * H)",
        ],
        "ja": [
            "各 head の出力は (B, T, H) です。n 個を横に並べると、どの次元が長くなるべきでしょう？",
            "リストの順番のまま、最後の（特徴の）次元に沿ってつなげます。テンソルのリストをつなぐのは torch.cat です。"
            "B と T はそのままで、最後のサイズが n * H になります。",
            "return torch.cat(..., dim=...)    # (B, T, n * H)",
        ],
    },
    "flatten_for_cross_entropy": {
        "en": [
            "cross_entropy wants one row per prediction. How many predictions are there in (B, T, V)?",
            "There are B * T predictions. Read the three sizes from logits.shape, then view logits as "
            "(B * T, V) and targets as (B * T,). view keeps the order, so row b * T + t is position (b, t) in "
            "both.",
            "B, T, V = logits.shape\n"
            "flat_logits = logits.view(..., ...)    # (B * T, V)\n"
            "flat_targets = targets.view(...)       # (B * T,)\n"
            "return flat_logits, flat_targets",
        ],
        "zh": [
            "cross_entropy 要求每个预测占一行。(B, T, V) 里一共有多少个预测？",
            "一共有 B * T 个预测。从 logits.shape 读出三个尺寸，然后把 logits view 成 (B * T, V)，targets view 成 "
            "(B * T,)。view 保持原来的顺序，所以两者的第 b * T + t 行都对应位置 (b, t)。",
            "B, T, V = logits.shape\n"
            "flat_logits = logits.view(..., ...)    # (B * T, V)\n"
            "flat_targets = targets.view(...)       # (B * T,)\n"
            "return flat_logits, flat_targets",
        ],
        "ja": [
            "cross_entropy は 1 つの予測を 1 行として受け取ります。(B, T, V) の中に予測はいくつあるでしょう？",
            "予測は B * T 個です。logits.shape から 3 つのサイズを読み取り、logits を (B * T, V)、targets を (B * T,) に"
            "view します。view は順番を保つので、どちらも b * T + t 行目が位置 (b, t) に対応します。",
            "B, T, V = logits.shape\n"
            "flat_logits = logits.view(..., ...)    # (B * T, V)\n"
            "flat_targets = targets.view(...)       # (B * T,)\n"
            "return flat_logits, flat_targets",
        ],
    },
}
