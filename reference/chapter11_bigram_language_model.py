"""Chapter 11 — the language model: everything joined, and text out.

The tutorial calls this model ``BigramLanguageModel`` and we keep the name,
because that is where it started: a bigram model predicts the next character
from the current one alone. What you build here is much more: a GPT, a
transformer whose every prediction can look at the whole context before it.

    input_indices (B, T)
    embedding          -> (B, T, C)   token + position (chapter 04)
    blocks             -> (B, T, C)   layer_count transformer blocks (09)
    vocab_projection   -> (B, T, V)   logits for the next character (10)

Loss: at every one of the B * T positions the model predicts the next
character, and the loss is the mean cross-entropy between those logits and
the target ids. ``nn.CrossEntropyLoss`` (kept as ``self.criterion``, as in
the tutorial) wants (N, V) logits and (N,) targets: flatten both with
``view`` as in chapter 10, ``logits.view(B * T, V)`` and
``target_indices.view(B * T)``. With targets the model returns those
flattened (B * T, V) logits, as the tutorial does. A model that guesses
uniformly among V = 65 characters has loss ln 65 ≈ 4.17, which is where an
untrained model starts.

Generation is a loop: predict, sample, append, repeat.

    1. crop the context to its last input_sequence_length tokens
       (there are no position vectors beyond that)
    2. run the model, keep the logits of the *last* position only  (B, V)
    3. softmax into probabilities, sample one id with torch.multinomial
    4. append it to the sequence                                      (B, T+1)

No gradients are needed to generate. The tutorial's loop runs without
``torch.no_grad()`` and is right: each step's graph is freed when the next
step starts, so it costs time, not memory. Wrapping the loop in
``torch.no_grad()`` saves that time; both pass.

Tutorial: Everyone's nanoGPT, Chapter 11 "BigramLanguageModel": Sections 1
(``__init__``), 2 (forward), 3 (generate, step by step:
``last_position_logits``, ``sample_greedy``, ``append_token``,
``sample_next_token``, ``crop_context``) and 4 (Define a Class); the loss is
Chapter 10 Section 2.
"""

import torch
from torch import nn
from torch.nn import functional as F

from .chapter04_embedding_module import EmbeddingModule
from .chapter06_attention_head import DeterministicDropout  # noqa: F401  the tutorial's dropout, given
from .chapter09_transformer_block import TransformerBlock
from .chapter10_vocabulary_logits import VocabularyLogits


def last_position_logits(logits):
    """The logits of the last position of every sequence: the guess for the next token.

    logits:  (B, T, V)  ->  (B, V)

    Every position predicts the token after it; to extend the text only the
    prediction after the last position counts.

    Tutorial: Chapter 11, Section 3 (generate), ``logits[:, -1, :]``: the toy
    logits (1, 1, 6) -> (1, 6).
    """
    # BEGIN SOLUTION
    return logits[:, -1, :]  # (B, V)
    # END SOLUTION


def sample_greedy(probabilities):
    """Greedy decoding: pick the most likely token of every row, keeping a (B, 1) shape.

    probabilities: (B, V)  ->  LongTensor (B, 1), the argmax of each row

    The result keeps its last axis (``keepdim``), so that it can be joined
    to the (B, T) sequence on the time axis.

    Tutorial: Chapter 11, Section 3, ``torch.argmax(probs, dim=-1,
    keepdim=True)``. Check points: ``tensor([[4]])`` ("love") for the
    probabilities [0.08, 0.05, 0.03, 0.01, 0.60, 0.22], then ``tensor([[1]])``
    ("you") for [0.06, 0.84, 0.01, 0.03, 0.04, 0.02].
    """
    # BEGIN SOLUTION
    return torch.argmax(probabilities, dim=-1, keepdim=True)  # (B, 1)
    # END SOLUTION


def append_token(input_indices, next_token):
    """Add the chosen token at the end of every sequence.

    input_indices: LongTensor (B, T), next_token: LongTensor (B, 1)  ->  (B, T + 1)

    Tutorial: Chapter 11, Section 3, ``torch.cat((input_indices, next_token),
    dim=-1)``. Check points: [[0]] -> [[0, 4]] -> [[0, 4, 1]] ("I love you").
    """
    # BEGIN SOLUTION
    return torch.cat((input_indices, next_token), dim=-1)  # (B, T + 1)
    # END SOLUTION


def sample_next_token(probabilities, generator=None):
    """Sample one token per row, each with its probability: the model's way of writing.

    probabilities: (B, V), rows summing to 1
    generator:     a ``torch.Generator`` to draw from, or None for torch's global one
    returns:       LongTensor (B, 1)

    Unlike greedy decoding, a token with probability 0.22 is picked about
    22% of the time, so the text does not repeat itself.

    Tutorial: Chapter 11, Section 3, ``torch.multinomial(probs,
    num_samples=1)``: with seed 1337 it drew 5 ("hate") from
    [0.08, 0.05, 0.03, 0.01, 0.60, 0.22], not the most likely 4.
    """
    # BEGIN SOLUTION
    return torch.multinomial(probabilities, num_samples=1, generator=generator)  # (B, 1)
    # END SOLUTION


def crop_context(input_indices, block_size):
    """Keep only the last ``block_size`` tokens of every sequence (all of a shorter one).

    input_indices: LongTensor (B, T)  ->  (B, min(T, block_size))

    The model has position vectors for input_sequence_length positions
    only, and the newest tokens are the ones that matter for the next one.

    Tutorial: Chapter 11, Section 3, ``input_indices[:, -8:]``: [[0, 4, 1, 6,
    7, 8, 0, 9, 1, 10, 7]] -> [[6, 7, 8, 0, 9, 1, 10, 7]]; [[0, 4, 1, 6]]
    stays as it is.
    """
    # BEGIN SOLUTION
    return input_indices[:, -block_size:]  # (B, <= block_size)
    # END SOLUTION


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
        # BEGIN SOLUTION
        self.embedding = EmbeddingModule(vocab_size, config=config)
        self.blocks = nn.Sequential(*[TransformerBlock(config=config) for _ in range(config.layer_count)])
        self.vocab_projection = VocabularyLogits(vocab_size=vocab_size, config=config)
        self.criterion = nn.CrossEntropyLoss()
        # END SOLUTION

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
        # BEGIN SOLUTION
        embeddings = self.embedding(input_indices)  # (B, T, C)
        block_output = self.blocks(embeddings)  # (B, T, C)
        logits = self.vocab_projection(block_output)  # (B, T, V)
        if target_indices is None:
            return logits, None
        B, T, V = logits.shape
        logits = logits.view(B * T, V)
        targets = target_indices.view(B * T)
        loss = self.criterion(logits, targets)
        return logits, loss
        # END SOLUTION

    def generate(self, input_indices, max_new_tokens):
        """Extend every sequence by ``max_new_tokens`` sampled characters.

        input_indices: LongTensor (B, T0), the prompt
        returns:       LongTensor (B, T0 + max_new_tokens): prompt, then the
                       new tokens

        Call ``model.eval()`` first, as the tutorial does, so that dropout is off.
        """
        # BEGIN SOLUTION
        with torch.no_grad():  # no graph to build: faster (the tutorial's loop without it is right too)
            for _ in range(max_new_tokens):
                cropped = input_indices[:, -self.config.input_sequence_length :]  # (B, <=T)
                logits, _ = self(cropped)  # (B, T, V)
                last_logits = logits[:, -1, :]  # (B, V)
                probabilities = F.softmax(last_logits, dim=-1)  # (B, V)
                next_token = torch.multinomial(probabilities, num_samples=1)  # (B, 1)
                input_indices = torch.cat((input_indices, next_token), dim=1)  # (B, T+1)
        return input_indices
        # END SOLUTION
