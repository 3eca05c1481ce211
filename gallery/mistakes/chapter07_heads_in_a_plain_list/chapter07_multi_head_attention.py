"""Mistake: ``self.attention_heads = [AttentionHead(head_size, config) for _ in range(n)]``.

A Python list hides the heads from PyTorch: their weights are not in
``parameters()`` (the optimiser never trains them), not in ``state_dict()``
(never saved), and ``.to(device)`` / ``.eval()`` never reach them.
"""

from torch import nn

from gallery import correct_chapter

correct = correct_chapter(__name__)


class MultiHeadAttention(correct.MultiHeadAttention):
    def __init__(self, config):
        nn.Module.__init__(self)
        head_size = config.embedding_dim // config.num_attention_heads
        self.attention_heads = [  # mistake: nn.ModuleList([...])
            correct.AttentionHead(head_size, config) for _ in range(config.num_attention_heads)
        ]
        self.output_projection = nn.Linear(config.embedding_dim, config.embedding_dim)
        self.dropout = nn.Dropout(config.dropout_rate)
