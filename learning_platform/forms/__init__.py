"""Form fields and widgets shared by the apps' public forms."""

from .dates import DateInputField, DateInputWidget

__all__ = ["DateInputField", "DateInputWidget"]
