"""`metaflow.user_decorators.user_step_decorator`: step decorators written by users."""

from flowlens.mutators import StepMutator, UserStepDecorator, UserStepDecoratorBase, user_step_decorator  # noqa: F401
