"""API routers under ``/api/v1``, one module per area (the contract is ``shared/contracts/api.md``)."""
