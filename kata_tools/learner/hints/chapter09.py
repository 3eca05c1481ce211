"""Hints for chapter 09, TransformerBlock: a nudge, the idea, the shape of the code (en, zh, ja)."""

# ruff: noqa: E501  (Chinese and Japanese characters count twice towards the line width)

HINTS = {
    "TransformerBlock.__init__": {
        "en": [
            "Four parts, each named in the class docstring: two norms, the attention and the feed-forward. "
            "Each sub-layer gets a norm of its own.",
            "layer_norm1 and layer_norm2 normalise C = config.embedding_dim (nn.LayerNorm or your chapter-05 "
            "LayerNorm; two separate objects). multihead_attention is a MultiHeadAttention and feed_forward a "
            "FeedForward, both built from config.",
            "self.layer_norm1 = ...(config.embedding_dim)\n"
            "self.multihead_attention = ...(config)\n"
            "self.layer_norm2 = ...\n"
            "self.feed_forward = ...(config)",
        ],
        "zh": [
            "四个部分，类的 docstring 里都点了名：两个 norm、注意力和前馈网络。每个子层都有自己的 norm。",
            "layer_norm1 和 layer_norm2 对 C = config.embedding_dim 做归一化（nn.LayerNorm 或你在第 05 章写的 LayerNorm，"
            "要是两个独立的对象）。multihead_attention 是 MultiHeadAttention，feed_forward 是 FeedForward，都用 config 创建。",
            "self.layer_norm1 = ...(config.embedding_dim)\n"
            "self.multihead_attention = ...(config)\n"
            "self.layer_norm2 = ...\n"
            "self.feed_forward = ...(config)",
        ],
        "ja": [
            "部品は 4 つで、どれもクラスの docstring に名前があります：2 つの norm、attention、feed-forward。"
            "各サブレイヤーがそれぞれ自分の norm を持ちます。",
            "layer_norm1 と layer_norm2 は C = config.embedding_dim を正規化します（nn.LayerNorm でも第 05 章の LayerNorm "
            "でもよく、別々のオブジェクトにします）。multihead_attention は MultiHeadAttention、feed_forward は "
            "FeedForward で、どちらも config から作ります。",
            "self.layer_norm1 = ...(config.embedding_dim)\n"
            "self.multihead_attention = ...(config)\n"
            "self.layer_norm2 = ...\n"
            "self.feed_forward = ...(config)",
        ],
    },
    "TransformerBlock.forward": {
        "en": [
            "Communicate, then compute, each with a residual connection. Which input_tensor does the residual add: the "
            "normalised one, or the one that came in?",
            "Pre-norm: normalise input_tensor, run the sub-layer on it, and add the sub-layer's output to the un-normalised "
            "input_tensor. First with layer_norm1 and the attention, then with layer_norm2 and the feed-forward. The shape "
            "stays (B, T, C) throughout.",
            "residual_attention = input_tensor + self.multihead_attention(...)    # (B, T, C)\n"
            "return residual_attention + ...                                    # (B, T, C)",
        ],
        "zh": [
            "先交流，再计算，两步都带残差连接。残差加上的是哪个 input_tensor：归一化后的，还是原本传进来的？",
            "Pre-norm：先对 input_tensor 归一化，把结果交给子层，再把子层的输出加到没有归一化的 input_tensor 上。第一次用 layer_norm1 和注意力，"
            "第二次用 layer_norm2 和前馈网络。形状始终是 (B, T, C)。",
            "residual_attention = input_tensor + self.multihead_attention(...)    # (B, T, C)\n"
            "return residual_attention + ...                                    # (B, T, C)",
        ],
        "ja": [
            "まず情報をやりとりし、次に計算する。どちらも残差接続つきです。残差で足すのは正規化した input_tensor と、入ってきた "
            "input_tensor のどちらでしょう？",
            "Pre-norm：input_tensor を正規化してサブレイヤーに通し、その出力を正規化していない input_tensor に足します。1 回目は layer_norm1 と "
            "attention、2 回目は layer_norm2 と feed-forward。形はずっと (B, T, C) のままです。",
            "residual_attention = input_tensor + self.multihead_attention(...)    # (B, T, C)\n"
            "return residual_attention + ...                                    # (B, T, C)",
        ],
    },
}
