/**
 * A directed graph laid out by dagre (left to right) and drawn as SVG. Nodes with a link are
 * links (focusable, Enter opens them); edges may carry a label (the evidence).
 */
import dagre from '@dagrejs/dagre';
import { useMemo } from 'react';

export interface GraphNode {
  id: string;
  label: string;
  kind: string;
  link?: string | undefined;
}

export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
}

const NODE_H = 30;
const charWidth = 7;

export function Graph({ nodes, edges, title }: { nodes: GraphNode[]; edges: GraphEdge[]; title: string }) {
  const layout = useMemo(() => {
    const g = new dagre.graphlib.Graph({ multigraph: true });
    g.setGraph({ rankdir: 'LR', nodesep: 14, ranksep: 60, marginx: 8, marginy: 8 });
    g.setDefaultEdgeLabel(() => ({}));
    for (const n of nodes)
      g.setNode(n.id, { width: Math.max(60, n.label.length * charWidth + 20), height: NODE_H });
    edges.forEach((e, i) => {
      g.setEdge(
        e.from,
        e.to,
        e.label ? { label: e.label, width: e.label.length * 6, height: 14 } : {},
        `e${i}`,
      );
    });
    dagre.layout(g);
    return g;
  }, [nodes, edges]);
  const graph = layout.graph();
  const width = Math.ceil(graph.width ?? 0);
  const height = Math.ceil(graph.height ?? 0);
  return (
    <div className="graph">
      <svg
        width={width}
        height={height}
        viewBox={`0 0 ${width} ${height}`}
        style={{ maxWidth: '100%', height: 'auto' }}
        role="img"
        aria-label={title}
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#667" />
          </marker>
        </defs>
        {layout.edges().map((e) => {
          const edge = layout.edge(e) as {
            points: Array<{ x: number; y: number }>;
            label?: string;
            x?: number;
            y?: number;
          };
          const d = edge.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
          return (
            <g key={`${e.v}>${e.w}>${e.name ?? ''}`}>
              <path d={d} fill="none" stroke="#99a" markerEnd="url(#arrow)" />
              {edge.label && edge.x !== undefined && edge.y !== undefined && (
                <text x={edge.x} y={edge.y} className="edge-label" textAnchor="middle">
                  {edge.label}
                </text>
              )}
            </g>
          );
        })}
        {nodes.map((n) => {
          const pos = layout.node(n.id);
          if (!pos) return null;
          const box = (
            <g
              className={`node node-${n.kind}`}
              transform={`translate(${pos.x - pos.width / 2},${pos.y - NODE_H / 2})`}
            >
              <rect width={pos.width} height={NODE_H} rx="5" />
              <text x={pos.width / 2} y={NODE_H / 2 + 4} textAnchor="middle">
                {n.label}
              </text>
            </g>
          );
          return n.link ? (
            <a key={n.id} href={n.link} aria-label={`${n.kind} ${n.label}`}>
              {box}
            </a>
          ) : (
            <g key={n.id}>{box}</g>
          );
        })}
      </svg>
    </div>
  );
}
