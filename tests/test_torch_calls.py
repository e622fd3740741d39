"""helpers.torch_calls: the call recorder the lesson 01 exercise checks use."""
import torch
import torch.nn.functional as F

from helpers.torch_calls import record_torch_calls


def test_records_functions_methods_and_functional_by_name():
    x = torch.tensor([[1.0, 2.0], [3.0, 5.0]])
    with record_torch_calls() as calls:
        manual = torch.exp(x - x.amax(dim=1, keepdim=True))
        manual = manual / manual.sum(dim=1, keepdim=True)
    assert {"exp", "amax", "sum"} <= calls and not {"softmax", "log_softmax"} & calls
    for softmax in (torch.softmax, F.softmax, torch.Tensor.softmax):
        with record_torch_calls() as calls:
            result = softmax(x, dim=1)
        assert "softmax" in calls
        assert torch.equal(result, manual) or torch.allclose(result, manual)  # the call ran unchanged
    with record_torch_calls() as calls:
        loss = F.cross_entropy(x, torch.tensor([0, 1]))
    assert "cross_entropy" in calls and torch.isclose(loss, F.cross_entropy(x, torch.tensor([0, 1])))


def test_recording_stops_after_the_block():
    with record_torch_calls() as calls:
        pass
    torch.exp(torch.zeros(1))
    assert calls == set()
