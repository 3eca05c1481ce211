"""Chapter 00 — warm-up: the tensor basics. All fail with NotImplementedError at first."""

import pytest
import torch

from kata_tools.i18n import _
from kata_tools.testing import assert_shape, chapter_module

warmup = chapter_module("chapter00_warmup")

LETS_HE = [24, 43, 58, 5, 57, 1, 46, 43]  # the tutorial's running input "Let's he"


@pytest.mark.kata("as_batch_of_one")
def test_as_batch_of_one_gives_the_tutorials_1_by_8_input():
    batch = warmup.as_batch_of_one(LETS_HE)
    assert isinstance(batch, torch.Tensor), _("as_batch_of_one should return a tensor, got {batch_type}").format(
                                                batch_type=type(batch).__name__)
    assert_shape(batch, (1, 8), "(1, T)", _("the tutorial's input torch.tensor([[24, 43, 58, 5, 57, 1, 46, 43]])"))
    assert batch.dtype == torch.long, (
        _("token ids index embedding tables, so their dtype is torch.long, got {dtype}").format(dtype=batch.dtype)
    )
    assert batch[0].tolist() == LETS_HE, (
        _("the tutorial's input is [[24, 43, 58, 5, 57, 1, 46, 43]] ('Let's he'); yours is {batch}").format(
            batch=batch.tolist())
    )
    assert warmup.as_batch_of_one([7, 3]).tolist() == [[7, 3]], _("[7, 3] should become [[7, 3]], shape (1, 2)")


@pytest.mark.kata("first_row_and_last_column")
def test_first_row_and_last_column_of_a_3_by_4_matrix():
    matrix = torch.arange(12).view(3, 4)
    row, column = warmup.first_row_and_last_column(matrix)
    assert_shape(row, (4,), "(K,)", _("the first row"))
    assert_shape(column, (3,), "(R,)", _("the last column"))
    assert row.tolist() == [0, 1, 2, 3], _("the first row of arange(12).view(3, 4) is [0, 1, 2, 3], got {row}").format(
                                             row=row.tolist())
    assert column.tolist() == [3, 7, 11], (
        _("the last column of arange(12).view(3, 4) is [3, 7, 11] (matrix[:, -1]), got {column}").format(
            column=column.tolist())
    )


@pytest.mark.kata("stack_windows")
def test_stack_windows_makes_one_row_per_window_in_order():
    windows = [torch.tensor(LETS_HE), torch.tensor([43, 58, 5, 57, 1, 46, 43, 39]), torch.arange(8)]
    batch = warmup.stack_windows(windows)
    assert_shape(batch, (3, 8), "(B, T)", _("three windows of T = 8 stacked (torch.stack, not torch.cat)"))
    for row, window in enumerate(windows):
        assert torch.equal(batch[row], window), (
            _("row {row} of the batch should be window {row}, {window}; got {batch}").format(
                row=row, window=window.tolist(), batch=batch[row].tolist())
        )


@pytest.mark.kata("swap_last_two_dims")
def test_swap_last_two_dims_keeps_the_batch_dimension():
    x = torch.arange(2 * 3 * 4).view(2, 3, 4)  # (B, T, H)
    swapped = warmup.swap_last_two_dims(x)
    assert_shape(swapped, (2, 4, 3), "(B, H, T)", _("keys with their last two dimensions swapped"))
    for b in range(2):
        assert torch.equal(swapped[b], x[b].t()), (
            _("swapped[{b}] should be x[{b}] transposed: swap dims -2 and -1, keep the batch dimension first").format(
                b=b)
        )
    assert_shape(warmup.swap_last_two_dims(torch.zeros(5, 2, 3, 4)), (5, 2, 4, 3), "(..., H, T)", _("a 4-D tensor"))


@pytest.mark.kata("batched_matmul")
def test_batched_matmul_multiplies_each_pair_of_the_batch():
    left, right = torch.randn(2, 3, 4), torch.randn(2, 4, 5)
    product = warmup.batched_matmul(left, right)
    assert_shape(product, (2, 3, 5), "(B, T, S)", "(B, T, H) @ (B, H, S)")
    for b in range(2):
        assert torch.allclose(product[b], left[b].mm(right[b]), atol=1e-6), (
            _("product[{b}] should be left[{b}] @ right[{b}]: one matrix product per batch entry").format(b=b)
        )
    assert torch.allclose(product[1, 2, 4], (left[1, 2] * right[1, :, 4]).sum(), atol=1e-6), (
        _("entry [b, t, s] should be the dot product of row t of left[b] and column s of right[b]")
    )


@pytest.mark.kata("add_to_every_sequence")
def test_add_to_every_sequence_broadcasts_over_the_batch():
    batch = torch.arange(2 * 3 * 4, dtype=torch.float).view(2, 3, 4)  # (B, T, C)
    per_position = torch.arange(3 * 4, dtype=torch.float).view(3, 4) * 100  # (T, C)
    total = warmup.add_to_every_sequence(batch, per_position)
    assert_shape(total, (2, 3, 4), "(B, T, C)")
    for b in range(2):
        assert torch.equal(total[b], batch[b] + per_position), (
            _("sequence {b} should get the same (T, C) tensor added, position by position").format(b=b)
        )


@pytest.mark.kata("flatten_batch_and_time")
def test_flatten_batch_and_time_keeps_every_position_in_order():
    x = torch.arange(2 * 3 * 4).view(2, 3, 4)  # (B, T, C)
    flat = warmup.flatten_batch_and_time(x)
    assert_shape(flat, (6, 4), "(B * T, C)")
    for b in range(2):
        for t in range(3):
            assert torch.equal(flat[b * 3 + t], x[b, t]), (
                _("row b * T + t = {row} should be x[{b}, {t}]: fold B and T with view, keeping the order").format(
                    row=b * 3 + t, b=b, t=t)
            )


@pytest.mark.kata("mean_keepdim")
def test_mean_keepdim_averages_the_last_dimension_and_keeps_it():
    x = torch.tensor([[[1.0, 2.0, 3.0, 6.0], [0.0, 0.0, 4.0, 4.0]]])  # (1, 2, 4)
    mean = warmup.mean_keepdim(x)
    assert_shape(mean, (1, 2, 1), "(B, T, 1)", _("the mean over C with keepdim=True"))
    assert torch.allclose(mean.flatten(), torch.tensor([3.0, 2.0])), (
        _("the rows [1, 2, 3, 6] and [0, 0, 4, 4] have means 3 and 2; got {mean}").format(
            mean=mean.flatten().tolist())
    )
    assert_shape(x - mean, (1, 2, 4), "(B, T, C)", _("x - mean (it must line up with x)"))
