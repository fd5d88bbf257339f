"""`metaflow.user_configs.config_parameters`: where Metaflow defines Config, ConfigValue and config_expr."""

from flowlens.configs import Config, ConfigValue, DelayEvaluator, config_expr  # noqa: F401
