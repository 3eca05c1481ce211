"""The learner tools speak English, Chinese or Japanese.

``KATA_LANG=en|zh|ja`` chooses; without it the locale decides (``LANGUAGE``,
``LC_ALL``, ``LC_MESSAGES``, ``LANG``, as gettext reads them), and anything
that is not Chinese or Japanese is English. Docstrings in the katas and the
tests' own failure messages stay English; what the tools add around them
(the one-line stub report, the chapter summary, the progress table, hints,
and the commands' messages) is translated here.

    t("state.done")                      -> "done" / "已完成" / "完了"
    t("summary.line", label="06", ...)   -> one formatted line
"""

import os
import re
import unicodedata

from .chapters import FIRST, LAST

# ruff: noqa: E501  (the catalogue below: Chinese and Japanese characters count twice towards the line width)

LANGUAGES = ("en", "zh", "ja")
ENVIRONMENT_VARIABLE = "KATA_LANG"


def _from_locale_value(value):
    value = (value or "").strip().lower()
    if value.startswith("zh"):
        return "zh"
    if value.startswith("ja"):
        return "ja"
    if value.startswith("en"):
        return "en"
    return None


def language(environment=None):
    """"en", "zh" or "ja": KATA_LANG first, then the locale, then English."""
    environment = os.environ if environment is None else environment
    chosen = _from_locale_value(environment.get(ENVIRONMENT_VARIABLE))
    if chosen:
        return chosen
    # gettext's order. LANGUAGE may list several ("ja:en"); the first one counts.
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environment.get(variable, "")
        if not value:
            continue
        chosen = _from_locale_value(value.split(":")[0])
        if chosen:
            return chosen
        if variable != "LANGUAGE":
            return "en"  # the first locale variable that is set decides, as in C ("C.UTF-8" is English)
    return "en"


# key -> (English, Chinese, Japanese). Written for a learner reading them in a terminal.
MESSAGES = {
    # ---- the one-line report of a stub (pytest plugin)
    "stub.what": (
        "chapter {chapter}: write {function}",
        "第 {chapter} 章：写出 {function}",
        "第 {chapter} 章：{function} を書きましょう",
    ),
    "stub.line": (
        "not written yet: {what}  ({where})",
        "还没写：{what}（{where}）",
        "まだ書かれていません：{what}（{where}）",
    ),
    "stub.short": ("not written yet: {what}", "还没写：{what}", "まだ書かれていません：{what}"),
    "code.section": ("in your code", "出错的位置（你的代码）", "エラーが起きた場所（あなたのコード）"),
    "code.where": (
        "{function} raised {error} at {where}:",
        "{function} 在 {where} 抛出了 {error}：",
        "{function} が {where} で {error} を出しました：",
    ),
    "code.shape_tip": (
        "Two shapes do not fit together on that line. Print the .shape of each tensor there and compare "
        "them with the shapes the docstring names, e.g. x is (B, T, C).",
        "这一行里有两个张量的形状对不上。把这一行用到的每个张量的 .shape 打印出来，"
        "和 docstring 里写的形状对照一下，比如 x 是 (B, T, C)。",
        "この行で形の合わないテンソルがあります。そこで使っている各テンソルの .shape を print して、"
        "docstring に書かれた形（たとえば x は (B, T, C)）と比べてみましょう。",
    ),
    "code.called": (
        "(the error surfaced deeper, in {function} at {where})",
        "（错误在更深处显现：{function}，{where}）",
        "（エラーが表に出たのはさらに奥の {function}、{where}）",
    ),
    "code.running": (
        "{function} was still running at {where}:",
        "{function} 在 {where} 还在运行：",
        "{function} は {where} でまだ動いていました：",
    ),
    "advice.float_size": (
        "{name} must be an int: use // ({name} = {value} here; a size written with / is a float)",
        "{name} 必须是整数：用 //（这里 {name} = {value}；用 / 算出的大小是浮点数）",
        "{name} は int でなければなりません：// を使いましょう（ここでは {name} = {value}。/ で割ると float になります）",
    ),
    "advice.float_size_unknown": (
        "A size on that line is a float: sizes must be ints, so divide with //, not /.",
        "这一行里有一个大小是浮点数：大小必须是整数，所以用 // 而不是 / 来除。",
        "この行のサイズが float になっています。サイズは int なので / ではなく // で割りましょう。",
    ),
    "advice.view": (
        ".view needs a tensor laid out in one piece (contiguous); this one is a slice or a transpose. "
        "Use .reshape(...) there, or .contiguous().view(...).",
        ".view 需要内存连续的张量，而这个张量是切片或转置的结果。这里改用 .reshape(...)，或 .contiguous().view(...)。",
        ".view には連続したメモリのテンソルが必要ですが、これはスライスか転置です。.reshape(...) か .contiguous().view(...) を使いましょう。",
    ),
    "advice.not_contiguous": (
        "A tensor on that line is a slice or a transpose, not laid out in one piece, and something views it: "
        "flatten it with .reshape(...).",
        "这一行里有个张量是切片或转置（内存不连续），却被当作连续的来用：用 .reshape(...) 把它展平。",
        "この行のテンソルはスライスか転置で、メモリが連続していません。.reshape(...) で平らにしましょう。",
    ),
    "advice.dimension": (
        "A dim on that line is past the tensor's last dimension: the tensor has fewer dimensions than the line "
        "assumes. Print .shape there (e.g. logits (B, T, V) flattened to (B*T, V) has 2).",
        "这一行用到的 dim 超出了张量的维数：张量的维数比这行代码以为的少。把 .shape 打印出来看看"
        "（例如 logits (B, T, V) 展平成 (B*T, V) 后只有 2 维）。",
        "この行の dim がテンソルの次元数を超えています。テンソルの次元はこの行が思っているより少ないのです。"
        ".shape を print してみましょう（例：logits (B, T, V) を (B*T, V) にすると 2 次元）。",
    ),
    "advice.index": (
        "An index is past the end of an embedding table (a table of N rows takes 0..N-1): "
        "check which table each input goes to, and each table's (rows, C) shape.",
        "有一个下标超出了嵌入表的范围（N 行的表只接受 0..N-1）：检查每个输入查的是哪张表，以及每张表的 (行数, C) 形状。",
        "埋め込み表の範囲を超えた添字があります（N 行の表は 0..N-1 まで）。各入力がどの表を引くか、各表の (行数, C) の形を確かめましょう。",
    ),
    "failure.test": (
        "the test: {test} at {where}",
        "测试：{test}，{where}",
        "テスト：{test}（{where}）",
    ),
    "failure.more": (
        "(the full traceback: {command})",
        "（完整的调用栈：{command}）",
        "（トレースバック全体：{command}）",
    ),
    "timeout.line": (
        "{function} did not return within {seconds} s: {question}",
        "{function} 在 {seconds} 秒内没有返回：{question}",
        "{function} が {seconds} 秒以内に戻りませんでした：{question}",
    ),
    "timeout.generate": (
        "does the loop run exactly max_new_tokens times?",
        "循环是否恰好运行 max_new_tokens 次？",
        "ループはちょうど max_new_tokens 回で終わりますか？",
    ),
    "timeout.train": (
        "does the loop run exactly total_training_steps times?",
        "循环是否恰好运行 total_training_steps 次？",
        "ループはちょうど total_training_steps 回で終わりますか？",
    ),
    "timeout.evaluate": (
        "does the loop run exactly evaluation_loops times?",
        "循环是否恰好运行 evaluation_loops 次？",
        "ループはちょうど evaluation_loops 回で終わりますか？",
    ),
    "timeout.get_batch": (
        "does it draw batch_size windows and stop?",
        "它是否取出 batch_size 个窗口后就停下？",
        "batch_size 個の窓を取ったら止まりますか？",
    ),
    "timeout.other": (
        "is there a loop that never ends?",
        "是不是有一个永远不会结束的循环？",
        "終わらないループはありませんか？",
    ),
    "timeout.skipped": (
        "not run: an earlier test of chapter {label} timed out ({message})",
        "没有运行：第 {label} 章前面的一个测试超时了（{message}）",
        "実行していません：第 {label} 章の前のテストが時間切れでした（{message}）",
    ),
    # ---- the per-chapter summary at the end of every run (pytest plugin)
    "summary.title": ("your chapters", "各章进度", "各章の進み具合"),
    "summary.line": (
        "chapter {label} {title}  {green}/{total} green",
        "第 {label} 章 {title}  {green}/{total} 通过",
        "第 {label} 章 {title}  {green}/{total} 合格",
    ),
    "summary.partial": (
        "(only part of this chapter ran)",
        "（本章只运行了一部分测试）",
        "（この章のテストは一部だけ実行）",
    ),
    "summary.next_stub": (
        "next: write {function} in {path}",
        "下一步：在 {path} 里写出 {function}",
        "次は {path} の {function} を書きましょう",
    ),
    "summary.next_test": (
        "next: make the test {test} pass:  {command}",
        "下一步：让测试 {test} 通过：{command}",
        "次はテスト {test} を合格させましょう：{command}",
    ),
    "summary.next_chapter": (
        "chapter {done} is green. Next: chapter {label} {title}:  make chapter{label}",
        "第 {done} 章全部通过。下一步：第 {label} 章 {title}：make chapter{label}",
        "第 {done} 章は合格です。次は第 {label} 章 {title}：make chapter{label}",
    ),
    "summary.train": (
        "every chapter is green. Now train your GPT on Shakespeare:  make train",
        "所有章节都通过了。现在用莎士比亚训练你的 GPT：make train",
        "全章合格です。シェイクスピアで GPT を訓練しましょう：make train",
    ),
    "summary.environment": (
        "not your code: {message}",
        "不是你的代码的问题：{message}",
        "あなたのコードの問題ではありません：{message}",
    ),
    "summary.locked": (
        "locked until chapter {label} is green: make chapter{label}",
        "要先让第 {label} 章全部通过：make chapter{label}",
        "先に第 {label} 章をすべて合格させましょう：make chapter{label}",
    ),
    "summary.stuck": (
        "stuck? make hint gives a nudge",
        "卡住了？make hint 会给你一点提示",
        "行き詰まったら make hint でヒントを",
    ),
    "summary.all_green": (
        "every chapter in this run is green",
        "本次运行的每一章都通过了",
        "今回実行した章はすべて合格です",
    ),
    # ---- the four states
    "state.done": ("done", "已完成", "完了"),
    "state.in progress": ("in progress", "进行中", "取り組み中"),
    "state.not started": ("not started", "未开始", "未着手"),
    "state.locked": ("locked", "未解锁", "ロック中"),
    # ---- make progress
    "progress.title": ("nanoGPT Katas: your progress", "nanoGPT Katas：你的进度", "nanoGPT Katas：あなたの進み具合"),
    "progress.package": ("(checking {package})", "（检查的是 {package}）", "（{package} をチェックしています）"),
    "progress.col.chapter": ("chapter", "章", "章"),
    "progress.col.builds": ("you build", "要写的", "作るもの"),
    "progress.col.state": ("state", "状态", "状態"),
    "progress.col.green": ("green", "通过", "合格"),
    "progress.no_tests": ("no tests yet", "还没有测试", "テストはまだありません"),
    "progress.running": (
        "running the tests of chapter {labels} (new, or changed since they last ran)...",
        "正在运行第 {labels} 章的测试（第一次运行，或上次运行后有改动）……",
        "第 {labels} 章のテストを実行しています（初めて、または前回から変更あり）…",
    ),
    "progress.run_failed": (
        "pytest could not run the tests (exit status {code}); its last lines:",
        "pytest 没能运行这些测试（退出码 {code}），最后几行输出：",
        "pytest がテストを実行できませんでした（終了コード {code}）。最後の出力：",
    ),
    "progress.totals": (
        "{green}/{total} tests green, {done} of {chapters} chapters done",
        "{green}/{total} 个测试通过，已完成 {done}/{chapters} 章",
        "テスト {green}/{total} 合格、{chapters} 章中 {done} 章完了",
    ),
    "progress.next": (
        "next: chapter {label} {title}, run make next",
        "下一步：第 {label} 章 {title}，运行 make next",
        "次は第 {label} 章 {title}：make next を実行しましょう",
    ),
    "progress.all_done": (
        "Every chapter is green. Well done! Now train your GPT on Shakespeare: make train",
        "所有章节都通过了，太棒了！现在用莎士比亚来训练你的 GPT 吧：make train",
        "全章合格です。おめでとうございます！シェイクスピアで GPT を訓練してみましょう：make train",
    ),
    # ---- make next / make watch
    "next.running": (
        "chapter {label} {title}: running its tests",
        "第 {label} 章 {title}：运行测试",
        "第 {label} 章 {title}：テストを実行します",
    ),
    "next.running_many": (
        "chapters {labels}: running their tests, stopping after the first that is not green",
        "第 {labels} 章：运行测试，遇到第一个没有全部通过的章节就停下",
        "第 {labels} 章：テストを実行し、合格しない最初の章で止めます",
    ),
    "watch.start": (
        "watching {paths}: save a kata file and the tests run again (Ctrl-C stops)",
        "正在监视 {paths}：保存 kata 文件后测试会自动重跑（按 Ctrl-C 停止）",
        "{paths} を見張っています：kata ファイルを保存するとテストが再実行されます（Ctrl-C で終了）",
    ),
    "watch.changed": ("{files} changed", "{files} 有改动", "{files} が変更されました"),
    "watch.stopped": ("stopped watching", "已停止监视", "見張りを終了しました"),
    "watch.missing": (
        "make watch needs the watchfiles package: run make setup (or {python} -m pip install watchfiles)",
        "make watch 需要 watchfiles 包：运行 make setup（或 {python} -m pip install watchfiles）",
        "make watch には watchfiles パッケージが必要です：make setup を実行してください"
        "（または {python} -m pip install watchfiles）",
    ),
    # ---- make hint
    "hint.levels": (
        ("a nudge", "the idea", "the shape of the code"),
        ("轻轻一推", "思路", "代码的骨架"),
        ("ひと押し", "考え方", "コードの形"),
    ),
    "hint.header": (
        "Hint {level} of {levels} for {function}: {kind}",
        "{function} 的提示 {level}/{levels}：{kind}",
        "{function} のヒント {level}/{levels}：{kind}",
    ),
    "hint.failing": (
        "chapter {label} {title}, first failing test: {test}",
        "第 {label} 章 {title}，第一个没通过的测试：{test}",
        "第 {label} 章 {title}、最初に失敗しているテスト：{test}",
    ),
    "hint.more": (
        "Still stuck? Run make hint{args} again for the next level.",
        "还是卡住？再运行一次 make hint{args}，看下一级提示。",
        "まだ難しければ、もう一度 make hint{args} で次のヒントへ。",
    ),
    "hint.last": (
        "That was the last hint. Once the chapter is green, make solution CHAPTER={label} shows the reference.",
        "这是最后一条提示了。等这一章全部通过后，make solution CHAPTER={label} 可以看参考答案。",
        "これが最後のヒントです。この章が合格したら make solution CHAPTER={label} で参考解答を見られます。",
    ),
    "hint.done": (
        "chapter {label} {title} is green: nothing to hint.",
        "第 {label} 章 {title} 已经全部通过，不需要提示。",
        "第 {label} 章 {title} はすべて合格です。ヒントは不要ですね。",
    ),
    "hint.no_tests": (
        "chapter {label} has no tests yet, so there is nothing to hint.",
        "第 {label} 章还没有测试，所以没有提示。",
        "第 {label} 章にはまだテストがないので、ヒントはありません。",
    ),
    "hint.all_done": (
        "Every chapter is green: no hints needed.",
        "所有章节都通过了，不需要提示。",
        "全章合格です。ヒントは不要です。",
    ),
    "hint.none": (
        "No hints are written for {function} yet; its docstring in {path} explains the idea.",
        "{function} 还没有提示；{path} 里的 docstring 讲解了思路。",
        "{function} のヒントはまだありません。{path} の docstring に考え方が書いてあります。",
    ),
    # ---- make solution
    "solution.need_chapter": (
        "Which chapter? For example: make solution CHAPTER=06",
        "要看哪一章？例如：make solution CHAPTER=06",
        "どの章ですか？ 例：make solution CHAPTER=06",
    ),
    "solution.not_green": (
        "Chapter {label} {title} is not green yet ({green}/{total}). Working it out yourself is the point of a kata: "
        "try make hint CHAPTER={label} first.",
        "第 {label} 章 {title} 还没有全部通过（{green}/{total}）。自己想出来才是练习的意义：先试试 make hint CHAPTER={label}。",
        "第 {label} 章 {title} はまだ合格していません（{green}/{total}）。自分で解くのが型稽古の醍醐味です。"
        "まずは make hint CHAPTER={label} を試してみましょう。",
    ),
    "solution.confirm_how": (
        "To see the answer anyway: make solution CHAPTER={label} CONFIRM=yes",
        "如果还是想看答案：make solution CHAPTER={label} CONFIRM=yes",
        "それでも答えを見たい場合：make solution CHAPTER={label} CONFIRM=yes",
    ),
    "solution.ask": (
        "Show the reference solution anyway? [y/N] ",
        "仍然要看参考答案吗？[y/N] ",
        "それでも参考解答を表示しますか？[y/N] ",
    ),
    "solution.declined": (
        "No answer shown. Keep going: make hint CHAPTER={label} has the next hint.",
        "好的，不看答案。继续加油：make hint CHAPTER={label} 可以看下一条提示。",
        "答えは表示しません。その調子です：make hint CHAPTER={label} で次のヒントを。",
    ),
    "solution.header": (
        "Reference solution, chapter {label} {title} ({path})",
        "参考答案：第 {label} 章 {title}（{path}）",
        "参考解答：第 {label} 章 {title}（{path}）",
    ),
    "solution.footer": (
        "Compare it with yours: {path}. A different way that passes the tests is just as right.",
        "和你的代码对照一下：{path}。写法不同但能通过测试，同样是对的。",
        "自分のコードと比べてみましょう：{path}。書き方が違ってもテストに合格していれば正解です。",
    ),
    # ---- make reset
    "reset.need_chapter": (
        "Which chapter? For example: make reset CHAPTER=06",
        "要重置哪一章？例如：make reset CHAPTER=06",
        "どの章をリセットしますか？ 例：make reset CHAPTER=06",
    ),
    "reset.reference": (
        "reset restores your katas; {package} is not a kata package (KATA_IMPL={package}).",
        "reset 只会恢复你的 kata；{package} 不是 kata 包（KATA_IMPL={package}）。",
        "reset が戻すのはあなたの kata だけです。{package} は kata のパッケージではありません（KATA_IMPL={package}）。",
    ),
    "reset.untouched": (
        "{path} is still the untouched stubs: nothing to reset.",
        "{path} 还是原始的空白练习，不需要重置。",
        "{path} はまだ手つかずの状態です。リセットの必要はありません。",
    ),
    "reset.ask": (
        "Put {path} back to its stubs? Your code in it goes to {backup}. [y/N] ",
        "把 {path} 恢复成空白练习吗？你现在的代码会保存到 {backup}。[y/N] ",
        "{path} を最初の状態に戻しますか？今のコードは {backup} に保存されます。[y/N] ",
    ),
    "reset.confirm_how": (
        "make reset rewrites {path}. To go ahead: make reset CHAPTER={label} CONFIRM=yes",
        "make reset 会改写 {path}。确定的话：make reset CHAPTER={label} CONFIRM=yes",
        "make reset は {path} を書き換えます。実行するには：make reset CHAPTER={label} CONFIRM=yes",
    ),
    "reset.done": (
        "{path} is back to its stubs. Your version is kept in {backup}.",
        "{path} 已恢复成空白练习。你之前的代码保存在 {backup}。",
        "{path} を最初の状態に戻しました。以前のコードは {backup} にあります。",
    ),
    "cancelled": ("Nothing changed.", "什么都没有改动。", "何も変更していません。"),
    # ---- make map
    "map.header": (
        "Tensor map of your {title} (chapter {label}): ModelConfig's defaults, a batch of B={B} sequences of T={T} tokens",
        "你的 {title}（第 {label} 章）的张量地图：ModelConfig 的默认设置，一批 B={B} 个序列，每个 T={T} 个 token",
        "あなたの {title}（第 {label} 章）のテンソルマップ：ModelConfig の既定値、B={B} 本の系列 × T={T} トークン",
    ),
    "map.legend": (
        "dimensions: {legend}",
        "维度：{legend}",
        "次元：{legend}",
    ),
    "map.partial": (
        "Chapter 11's BigramLanguageModel does not run yet ({reason}), so this is the biggest piece that does.",
        "第 11 章的 BigramLanguageModel 还不能运行（{reason}），这里先画出已经能运行的最大的部分。",
        "第 11 章の BigramLanguageModel はまだ動きません（{reason}）。動く中で一番大きな部品を表示します。",
    ),
    "map.nothing": (
        "Nothing to map yet: the map starts with chapter 02's TokenEmbedding ({reason}). "
        "To see the finished map: KATA_IMPL=reference make map",
        "还没有可以画的：地图从第 02 章的 TokenEmbedding 开始（{reason}）。想先看完成后的地图：KATA_IMPL=reference make map",
        "まだ表示できるものがありません：マップは第 02 章の TokenEmbedding から始まります（{reason}）。"
        "完成形を見るには：KATA_IMPL=reference make map",
    ),
    # ---- make chapterNN (the gate)
    "gate.remembered": (
        "chapters {labels}: green, unchanged since they last ran (not run again)",
        "第 {labels} 章：已通过，上次运行后没有改动（不再重跑）",
        "第 {labels} 章：合格済みで前回から変更なし（再実行しません）",
    ),
    "gate.blocked": (
        "Chapter {label} ({title}) builds on chapter {earlier} ({earlier_title}), which is not green yet: "
        "{failing} of {total} of its tests fail (above).",
        "第 {label} 章（{title}）建立在第 {earlier} 章（{earlier_title}）之上，而它还没有全部通过："
        "{total} 个测试中有 {failing} 个失败（见上）。",
        "第 {label} 章（{title}）は第 {earlier} 章（{earlier_title}）の上に作ります。そちらがまだ合格していません："
        "{total} 個中 {failing} 個のテストが失敗しています（上を参照）。",
    ),
    "gate.finish": (
        "Finish chapter {label} first:  make chapter{label}",
        "先完成第 {label} 章：make chapter{label}",
        "先に第 {label} 章を仕上げましょう：make chapter{label}",
    ),
    # ---- make train and make generate
    "train.header": (
        "training {package} (KATA_IMPL={package}), recipe '{recipe}': {settings}",
        "训练 {package}（KATA_IMPL={package}），配方 '{recipe}'：{settings}",
        "{package} を訓練します（KATA_IMPL={package}）、レシピ '{recipe}'：{settings}",
    ),
    "train.device": ("device: {device}", "设备：{device}", "デバイス：{device}"),
    "train.rehearsing": (
        "rehearsing: generate 2 characters, one train_step, one evaluation loop...",
        "预演：生成 2 个字符、一次 train_step、一轮评估……",
        "リハーサル：2 文字の生成、train_step 1 回、評価 1 ループ…",
    ),
    "train.model": (
        "{parameters} parameters, vocabulary of {vocabulary} characters, {threads} torch threads",
        "{parameters} 个参数，词表 {vocabulary} 个字符，{threads} 个 torch 线程",
        "パラメータ {parameters} 個、語彙 {vocabulary} 文字、torch スレッド {threads}",
    ),
    "train.interrupted": (
        "interrupted after {done} of {total} steps: evaluating and saving what the model has learnt so far "
        "(Ctrl-C again abandons the save)",
        "在第 {done}/{total} 步中断：正在评估并保存模型目前学到的内容（再按一次 Ctrl-C 就放弃保存）",
        "{total} ステップ中 {done} ステップで中断：ここまでの学習を評価して保存します（もう一度 Ctrl-C で保存を中止）",
    ),
    "train.final": (
        "final val loss {val} after {steps} steps ({training} s of training, {total} s with evaluations). "
        "The model wrote:",
        "{steps} 步后最终验证损失 {val}（训练 {training} 秒，含评估共 {total} 秒）。模型写道：",
        "{steps} ステップ後の最終検証損失 {val}（訓練 {training} 秒、評価込み {total} 秒）。モデルの文章：",
    ),
    "train.saved": (
        "saved {folder}/ (checkpoint, loss_curve.png, sample.txt); make generate PROMPT=\"ROMEO:\" writes more",
        "已保存 {folder}/（检查点、loss_curve.png、sample.txt）；make generate PROMPT=\"ROMEO:\" 可以写更多",
        "{folder}/ に保存しました（チェックポイント、loss_curve.png、sample.txt）。make generate PROMPT=\"ROMEO:\" で続きを",
    ),
    "train.needs_chapters": (
        "make train needs every chapter written: {hint}",
        "make train 需要写完所有章节：{hint}",
        "make train にはすべての章が必要です：{hint}",
    ),
    "train.error": ("make train: {error}", "make train：{error}", "make train：{error}"),
    "train.abandoned": (
        "make train: interrupted before the run was saved; nothing was written",
        "make train：在保存之前被中断，什么都没有写入",
        "make train：保存の前に中断されました。何も書き込んでいません",
    ),
    "generate.model": ("model: {description}", "模型：{description}", "モデル：{description}"),
    "generate.needs_model": (
        "make generate needs your model: {hint}",
        "make generate 需要你的模型：{hint}",
        "make generate にはあなたのモデルが必要です：{hint}",
    ),
    "generate.error": ("make generate: {error}", "make generate：{error}", "make generate：{error}"),
    "generate.seed": (
        "(seed {seed}: make generate SEED={seed} writes this again)",
        "（种子 {seed}：make generate SEED={seed} 会再写出同样的文字）",
        "（シード {seed}：make generate SEED={seed} で同じ文章をもう一度）",
    ),
    # ---- shared
    "bad_chapter": (
        f"there is no chapter {{value}}: chapters run from {FIRST.label} to {LAST.label}",
        f"没有第 {{value}} 章：章节是 {FIRST.label} 到 {LAST.label}",
        f"第 {{value}} 章はありません：章は {FIRST.label} から {LAST.label} までです",
    ),
}


_TITLES = {"Warm-up": ("Warm-up", "热身", "ウォームアップ")}  # the other titles are class names: code, not words


def title(entry, lang=None):
    """A chapter's title in the current language (class names such as AttentionHead stay as they are)."""
    texts = _TITLES.get(entry.title)
    return texts[LANGUAGES.index(lang or language())] if texts else entry.title


def t(key, lang=None, **values):
    """The message ``key`` in the current language, formatted with ``values``."""
    texts = MESSAGES[key]
    text = texts[LANGUAGES.index(lang or language())]
    return text.format(**values) if values and isinstance(text, str) else text


def display_width(text):
    """Columns ``text`` takes in a terminal: Chinese and Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in str(text))


def pad(text, width):
    """``text`` padded with spaces to ``width`` terminal columns."""
    text = str(text)
    return text + " " * max(0, width - display_width(text))


_NO_LINE_START = set("，。、：；）」』！？,.;:!?)]}%")


# A command a learner copies: make with its VARIABLE=value arguments (and any before it), or python -m / pytest.
_COMMAND = re.compile(
    r"(?:\b[A-Z_]+=\S+ )*\bmake [a-z][\w-]*(?: [A-Z_]+=(?:'[^']*'|\"[^\"]*\"|[^\s，。、；）]+))*"
    r"|\b(?:python -m|pytest) \S+(?: --?[\w-]+(?:=\S+)?)*"
)
_KEEP_TOGETHER = "\u00a0"


def _join_commands(paragraph):
    return _COMMAND.sub(lambda found: found.group(0).replace(" ", _KEEP_TOGETHER), paragraph)


def wrap(text, width):
    """Lines of at most ``width`` terminal columns.

    Breaks at spaces in English, and between characters in Chinese and
    Japanese (never putting a closing punctuation mark first on a line),
    and never inside a command (``make reset CHAPTER=03 CONFIRM=yes``).
    """
    lines = []
    for paragraph in _join_commands(str(text)).split("\n"):
        tokens, word = [], ""
        for character in paragraph:  # a token: a word with its trailing space, or one wide character
            if display_width(character) == 2:
                if word:
                    tokens.append(word)
                    word = ""
                tokens.append(character)
            else:
                word += character
                if character == " ":
                    tokens.append(word)
                    word = ""
        if word:
            tokens.append(word)
        line = ""
        for token in tokens:
            if line and display_width(line + token.rstrip()) > width and token[0] not in _NO_LINE_START:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return [line.replace(_KEEP_TOGETHER, " ") for line in lines]


def fill(text, width=None, indent=0):
    """``text`` wrapped to the terminal (at most 100 columns), for messages longer than a line.

    ``indent``: columns the caller puts before every line.
    """
    import shutil

    width = width or max(40, min(shutil.get_terminal_size((100, 24)).columns, 100) - 1)
    return "\n".join(wrap(text, width - indent))
