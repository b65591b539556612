"""nnwarp's run-time data (the theme), installed as the package ``scenes.assets``."""
