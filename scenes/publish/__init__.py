"""What goes beside a video: subtitles (SRT, WebVTT)."""

__all__: list[str] = []
