"""What goes beside a video: subtitles (SRT, WebVTT)."""
