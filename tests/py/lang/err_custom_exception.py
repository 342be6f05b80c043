# Uncaught custom exception classes: hierarchy, attributes and qualified names.
class AppError(Exception):
    pass
class ValidationError(AppError):
    def __init__(self, field, problem):
        super().__init__(f"{field}: {problem}")
        self.field = field
def validate(user):
    if "name" not in user:
        raise ValidationError("name", "required")
try:
    validate({})
except AppError as e:
    print("caught as AppError:", e, e.field, isinstance(e, Exception))
validate({"age": 3})
