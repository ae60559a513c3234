"""Provider settings: sources, precedence, validation messages, secrecy."""

from __future__ import annotations

import pytest
from pulumi_cams_provider.cams.errors import CamsError, ProviderError, SettingsError
from pulumi_cams_provider.cams.settings import ProviderSettings


def test_defaults_without_config_or_environment() -> None:
    settings = ProviderSettings.from_config({}, {})
    assert settings.region == "ap-southeast-1"
    assert settings.requests_per_second == 10
    assert settings.retry_timeout == 120
    assert (settings.connect_timeout_ms, settings.read_timeout_ms) == (5000, 10000)
    assert (settings.protocol, settings.host) == ("https", "cams.ap-southeast-1.aliyuncs.com")
    assert settings.credential_identity == "default-chain"


def test_reads_prefixed_and_bare_keys() -> None:
    prefixed = ProviderSettings.from_config(
        {
            "cams:endpoint": "http://127.0.0.1:8080",
            "cams:region": "cn-hangzhou",
            "cams:accessKeyId": "LTAI5tDemoAccessKey",
            "cams:accessKeySecret": "demo-secret-Ahk3Lq9Zr",
            "cams:requestsPerSecond": "4",
        },
        {},
    )
    bare = ProviderSettings.from_config(
        {
            "endpoint": "http://127.0.0.1:8080",
            "region": "cn-hangzhou",
            "accessKeyId": "LTAI5tDemoAccessKey",
            "accessKeySecret": "demo-secret-Ahk3Lq9Zr",
            "requestsPerSecond": 4,
        },
        {},
    )
    assert prefixed == bare
    assert (prefixed.protocol, prefixed.host) == ("http", "127.0.0.1:8080")
    assert prefixed.requests_per_second == 4.0
    assert prefixed.credential_identity == "ak:LTAI5tDemoAccessKey"


def test_config_wins_over_environment_and_environment_fills_gaps() -> None:
    settings = ProviderSettings.from_config(
        {"cams:region": "ap-southeast-1"},
        {
            "ALIBABA_CLOUD_REGION": "cn-hangzhou",
            "CAMS_ENDPOINT": "127.0.0.1:9000",
            "CAMS_REQUESTS_PER_SECOND": "2.5",
            "ALICLOUD_ACCESS_KEY": "LTAI5tOtherTenantKey",
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "ignored-second-choice",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "other-secret-Gd6Ss1Ke",
            "ALIBABA_CLOUD_SECURITY_TOKEN": "sts-token",
        },
    )
    assert settings.region == "ap-southeast-1"
    assert (settings.protocol, settings.host) == ("https", "127.0.0.1:9000")
    assert settings.requests_per_second == 2.5
    assert settings.access_key_id == "LTAI5tOtherTenantKey"
    assert settings.access_key_secret is not None
    assert settings.access_key_secret.get_secret_value() == "other-secret-Gd6Ss1Ke"
    assert settings.security_token is not None
    assert settings.security_token.get_secret_value() == "sts-token"


def test_region_falls_back_to_alicloud_region() -> None:
    settings = ProviderSettings.from_config({}, {"ALICLOUD_REGION": "cn-shanghai"})
    assert settings.host == "cams.cn-shanghai.aliyuncs.com"


def test_credentials_in_config_shadow_credentials_in_environment() -> None:
    settings = ProviderSettings.from_config(
        {"cams:profile": "ci"},
        {
            "ALIBABA_CLOUD_ACCESS_KEY_ID": "LTAI5tDemoAccessKey",
            "ALIBABA_CLOUD_ACCESS_KEY_SECRET": "demo-secret-Ahk3Lq9Zr",
        },
    )
    assert settings.profile == "ci"
    assert settings.access_key_id is None
    assert settings.access_key_secret is None
    assert settings.credential_identity == "profile:ci"


def test_profile_from_environment() -> None:
    settings = ProviderSettings.from_config({}, {"ALIBABA_CLOUD_PROFILE": "prod"})
    assert settings.profile == "prod"


def test_empty_values_count_as_unset() -> None:
    settings = ProviderSettings.from_config(
        {"cams:endpoint": "", "cams:accessKeyId": ""}, {"CAMS_ENDPOINT": "127.0.0.1:1"}
    )
    assert settings.host == "127.0.0.1:1"
    assert settings.access_key_id is None


def test_repr_and_str_never_show_secrets() -> None:
    settings = ProviderSettings.from_config(
        {
            "cams:accessKeyId": "LTAI5tDemoAccessKey",
            "cams:accessKeySecret": "demo-secret-Ahk3Lq9Zr",
            "cams:securityToken": "sts-token-value",
        },
        {},
    )
    for text in (repr(settings), str(settings), str(settings.model_dump())):
        assert "demo-secret-Ahk3Lq9Zr" not in text
        assert "sts-token-value" not in text


@pytest.mark.parametrize(
    ("config", "environ", "message"),
    [
        (
            {"cams:requestsPerSecond": "fast"},
            {},
            "Invalid provider setting cams:requestsPerSecond: expected a number greater than 0, "
            "such as 10 (got 'fast'). Fix it with `pulumi config set cams:requestsPerSecond "
            "<value>`.",
        ),
        (
            {"cams:requestsPerSecond": 0},
            {},
            "Invalid provider setting cams:requestsPerSecond: expected a number greater than 0, "
            "such as 10 (got 0). Fix it with `pulumi config set cams:requestsPerSecond <value>`.",
        ),
        (
            {"requestsPerSecond": "nan"},
            {},
            "Invalid provider setting cams:requestsPerSecond: expected a number greater than 0, "
            "such as 10 (got 'nan'). Fix it with `pulumi config set cams:requestsPerSecond "
            "<value>`.",
        ),
        (
            {},
            {"CAMS_REQUESTS_PER_SECOND": "-1"},
            "Invalid provider setting CAMS_REQUESTS_PER_SECOND: expected a number greater than 0, "
            "such as 10 (got '-1'). Fix or unset the environment variable "
            "CAMS_REQUESTS_PER_SECOND.",
        ),
        (
            {"cams:retryTimeout": "0"},
            {},
            "Invalid provider setting cams:retryTimeout: expected a number of seconds greater "
            "than 0, such as 120 (got '0'). Fix it with `pulumi config set cams:retryTimeout "
            "<value>`.",
        ),
        (
            {},
            {"CAMS_RETRY_TIMEOUT": "soon"},
            "Invalid provider setting CAMS_RETRY_TIMEOUT: expected a number of seconds greater "
            "than 0, such as 120 (got 'soon'). Fix or unset the environment variable "
            "CAMS_RETRY_TIMEOUT.",
        ),
        (
            {"cams:endpoint": "http://127.0.0.1:8080/api"},
            {},
            "Invalid provider setting cams:endpoint: expected a host[:port] or "
            '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
            "(got 'http://127.0.0.1:8080/api'). Fix it with `pulumi config set cams:endpoint "
            "<value>`.",
        ),
        (
            {"cams:endpoint": "ftp://127.0.0.1"},
            {},
            "Invalid provider setting cams:endpoint: expected a host[:port] or "
            '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
            "(got 'ftp://127.0.0.1'). Fix it with `pulumi config set cams:endpoint <value>`.",
        ),
        (
            {},
            {"CAMS_ENDPOINT": "127.0.0.1:8080/x"},
            "Invalid provider setting CAMS_ENDPOINT: expected a host[:port] or "
            '"http(s)://host[:port]" without a path, such as "http://127.0.0.1:8080" '
            "(got '127.0.0.1:8080/x'). Fix or unset the environment variable CAMS_ENDPOINT.",
        ),
        (
            {"cams:region": "ap southeast"},
            {},
            "Invalid provider setting cams:region: expected a region id such as "
            "\"ap-southeast-1\" (got 'ap southeast'). Fix it with `pulumi config set "
            "cams:region <value>`.",
        ),
        (
            {"cams:accessKeyId": "LTAI5tDemoAccessKey"},
            {},
            "Invalid provider setting cams:accessKeySecret: an access key id is set but its "
            "secret is missing; set it with `pulumi config set --secret cams:accessKeySecret "
            "<secret>`.",
        ),
        (
            {"cams:accessKeySecret": "demo-secret-Ahk3Lq9Zr"},
            {},
            "Invalid provider setting cams:accessKeyId: an access key secret is set but its id "
            "is missing; set it with `pulumi config set cams:accessKeyId <id>`.",
        ),
        (
            {"cams:securityToken": "tok"},
            {},
            "Invalid provider setting cams:accessKeyId: an STS security token needs the STS "
            "access key id and secret that came with it.",
        ),
    ],
)
def test_bad_values_name_the_key_to_fix(
    config: dict[str, object], environ: dict[str, str], message: str
) -> None:
    with pytest.raises(SettingsError) as exc:
        ProviderSettings.from_config(config, environ)
    assert str(exc.value) == message
    assert isinstance(exc.value, ProviderError) and not isinstance(exc.value, CamsError)
    assert exc.value.key in message
    assert "\n" not in str(exc.value)


def test_a_bad_secret_is_never_echoed() -> None:
    with pytest.raises(SettingsError) as exc:
        ProviderSettings.from_config(
            {"cams:accessKeyId": "AK", "cams:accessKeySecret": ["not", "a", "string"]}, {}
        )
    assert str(exc.value) == "Invalid provider setting cams:accessKeySecret: expected a string."


def test_direct_construction_also_raises_settings_error() -> None:
    with pytest.raises(SettingsError) as exc:
        ProviderSettings(requests_per_second=-2)
    assert exc.value.key == "cams:requestsPerSecond"
    with pytest.raises(SettingsError) as exc:
        ProviderSettings(read_timeout_ms=0)
    assert exc.value.key == "read_timeout_ms"


def test_settings_are_frozen() -> None:
    settings = ProviderSettings()
    with pytest.raises(ValueError):
        settings.region = "cn-hangzhou"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("endpoint", "protocol", "host"),
    [
        ("http://127.0.0.1:8080", "http", "127.0.0.1:8080"),
        ("HTTP://127.0.0.1:8080/", "http", "127.0.0.1:8080"),
        ("https://cams.example.test", "https", "cams.example.test"),
        ("cams.ap-southeast-1.aliyuncs.com", "https", "cams.ap-southeast-1.aliyuncs.com"),
        (" 127.0.0.1:9 ", "https", "127.0.0.1:9"),
    ],
)
def test_endpoint_forms(endpoint: str, protocol: str, host: str) -> None:
    settings = ProviderSettings.from_config({"cams:endpoint": endpoint}, {})
    assert (settings.protocol, settings.host) == (protocol, host)


def test_the_settings_model_holds_each_described_setting_once_typed_as_described() -> None:
    """config.SETTINGS describes every setting (key, variables, default, secrecy, what a valid
    value is); the model only types them, one field each, plus two timeouts tests set."""
    from pulumi_cams_provider.config import SETTINGS

    fields = ProviderSettings.model_fields
    assert set(fields) == {s.attribute for s in SETTINGS} | {
        "connect_timeout_ms",
        "read_timeout_ms",
    }
    python_types = {"string": "str", "number": "float"}
    for setting in SETTINGS:
        annotation = str(fields[setting.attribute].annotation)
        expected = "SecretStr" if setting.secret else python_types[setting.type]
        assert expected in annotation, (setting.key, annotation)
        assert fields[setting.attribute].default == setting.default
