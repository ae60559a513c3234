"""Entry point of the native plugin: the Pulumi Python language host runs `python <this dir>
<engine address>` for a source plugin that has a root `__main__.py` (see PulumiPlugin.yaml)."""

from pulumi_cams_provider.native import main

main()
