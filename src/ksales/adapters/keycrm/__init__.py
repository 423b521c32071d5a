from ksales.adapters.keycrm.client import KeyCrmClient

__all__ = ["KeyCrmClient"]
