"""The domain's workflows, between the Slack listeners (handlers) and storage and messages.

Every Slack side effect a workflow causes is written to the outbox in the same
transaction as the change that causes it; the delivery worker (services.delivery) sends it.
"""

from services.runtime import Services

__all__ = ["Services"]
