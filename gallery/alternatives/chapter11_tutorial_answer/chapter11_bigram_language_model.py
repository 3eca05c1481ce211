"""Chapter 11, the tutorial's published answer pasted into the kata.

Everyone's nanoGPT, Chapter 11 "BigramLanguageModel": its answer notebook's code (as in Chapter 12's
class summary, nn.Dropout where chapters 06-11 use DeterministicDropout), pasted method by method
into katas/ with everything the kata gives kept as it is. It must pass this chapter and every later one.
"""

import torch
from torch import nn
from torch.nn import functional as F

from gallery import correct_chapter

from .chapter04_embedding_module import EmbeddingModule
from .chapter09_transformer_block import TransformerBlock
from .chapter10_vocabulary_logits import VocabularyLogits

correct_chapter(__name__)  # every step the answer does not define comes from the correct chapter


class BigramLanguageModel(nn.Module):
    """A character-level GPT.

    vocab_size: V
    config:     needs ``embedding_dim``, ``input_sequence_length``,
                ``num_attention_heads``, ``hidden_dim``, ``layer_count`` and
                ``dropout_rate``

    Attributes: ``config``, ``embedding`` (EmbeddingModule), ``blocks``
    (``nn.Sequential`` of ``layer_count`` TransformerBlock),
    ``vocab_projection`` (VocabularyLogits) and ``criterion``
    (``nn.CrossEntropyLoss``).
    """

    def __init__(self, vocab_size, config):
        """Create the embedding, the stack of blocks, the output layer and the loss."""
        super().__init__()
        self.config = config
        self.config = config
        self.embedding = EmbeddingModule(vocab_size, config=config)
        self.blocks = nn.Sequential(*[TransformerBlock(config=config) for _ in range(config.layer_count)])
        self.vocab_projection = VocabularyLogits(vocab_size=vocab_size, config=config)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, input_indices, target_indices=None):
        """Return (logits, loss).

        input_indices:  LongTensor (B, T)
        target_indices: LongTensor (B, T) or None; target_indices[b, t] is the
                        character that follows input_indices[b, t]

        Without targets: logits (B, T, V) and loss None.
        With targets: logits (B * T, V) (or (B, T, V)) and the scalar mean
        cross-entropy over all B * T positions.
        """
        if target_indices is not None:
            # Given: a get_batch that slices one larger tensor returns targets whose rows are not
            # contiguous in memory, and .view needs contiguous memory. .contiguous() copies only then.
            target_indices = target_indices.contiguous()
        embeddings = self.embedding(input_indices)
        transformer_block_output = self.blocks(embeddings)
        vocab_logits = self.vocab_projection(transformer_block_output)
        if target_indices is None:
            return vocab_logits, None
        batch_size, token_len, vocab_size = vocab_logits.shape
        vocab_logits = vocab_logits.view(batch_size * token_len, vocab_size)
        targets = target_indices.view(batch_size * token_len)
        loss = self.criterion(vocab_logits, targets)
        return vocab_logits, loss

    def generate(self, input_indices, max_new_tokens):
        """Extend every sequence by ``max_new_tokens`` sampled characters.

        input_indices: LongTensor (B, T0), the prompt
        returns:       LongTensor (B, T0 + max_new_tokens): prompt, then the
                       new tokens

        Call ``model.eval()`` first, as the tutorial does, so that dropout is off.
        """
        for _ in range(max_new_tokens):
            cropped_input = input_indices[:, -self.config.input_sequence_length:]
            logits, _ = self.forward(cropped_input, target_indices=None)
            logits = logits[:, -1, :]
            probs = F.softmax(logits, dim=-1)
            next_index = torch.multinomial(probs, num_samples=1)
            input_indices = torch.cat((input_indices, next_index), dim=1)
        return input_indices
