/** KurrentDB's own events (`$`-prefixed types or streams: stats, settings, projections, links) are not ours. */
export const isSystemEvent = (e: { streamId: string; type: string }): boolean =>
  e.type.startsWith('$') || e.streamId.startsWith('$');
