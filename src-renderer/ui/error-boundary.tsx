/** Catches a render crash so the admin sees what happened instead of a blank window. */
import { Component, type ErrorInfo, type ReactNode } from 'react';

type Props = { title: string; action: string; children: ReactNode };

/** Error boundary around the whole UI. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state = { error: null as Error | null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    console.error(error, info.componentStack);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="screen" role="alert">
        <h1>{this.props.title}</h1>
        <p className="muted">{this.state.error.message}</p>
        <button type="button" className="button button-primary" onClick={() => this.setState({ error: null })}>
          {this.props.action}
        </button>
      </div>
    );
  }
}
