"""Train your own PyTorch model, record it with nnmodel.record, and render it with nnwarp."""

import torch
from torch import nn

import nnmodel
from nnmodel.datasets import make_dataset

torch.set_num_threads(1)  # tiny networks train fastest on one thread
torch.manual_seed(0)

data = make_dataset("moons", samples=200, seed=0)  # or your own X (N×2) and labels y
X, y = torch.from_numpy(data.X), torch.from_numpy(data.y).float()

model = nn.Sequential(
    nn.Linear(2, 8),
    nn.Tanh(),
    nn.Linear(8, 2),
    nn.Tanh(),
    nn.Linear(2, 1),  # 1 logit
)
optimizer = torch.optim.Adam(model.parameters(), lr=0.03)
loss_fn = nn.BCEWithLogitsLoss()

rec = nnmodel.record(model, X, y, name="moons", optimizer=optimizer, seed=0)
rec.snapshot(0)  # the weights before training
for epoch in range(1, 301):
    optimizer.zero_grad()
    loss = loss_fn(model(X)[:, 0], y)
    loss.backward()
    optimizer.step()
    if epoch % 10 == 0:
        rec.snapshot(epoch, loss=loss.item())

path = rec.save("own_model.npz")
print(f"wrote {path}; render it with: nnwarp render --trajectory {path} -ql")
